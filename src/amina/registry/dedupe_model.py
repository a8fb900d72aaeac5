"""The de-duplication model in one place: what is compared, how, which pairs are
compared at all, how the model is trained, and the thresholds that turn scores into
proposals. ``dedupe.py`` runs it; ``test_dedupe_families.py`` fails if a comparison of
documents, birth dates or members is dropped.

Every piece of evidence counts both ways: a level for agreement (raises the match
weight), one or more for a clear disagreement (lowers it), and a null level (says
nothing) when either side does not know. What the comparisons read (one row per open
household, built in DuckDB by ``dedupe.records``):

- the head's four name keys (``amina.registry.names``: alef, hamza, taa marbuta …
  folded), sex and governorate;
- ``birth_year`` and ``birth_full``: the full date, null when only the year is known —
  a null date, or a placeholder 1 January / 1 July, the days teams write for "only the
  year". A year-only date is compatible with a full one of the same year; two full dates
  that differ are two people;
- ``phone``; ``document`` with ``doc_type`` (identity documents only);
- ``kids``: the household's children as "first-name key|birth year", distinct and
  sorted; ``kids_sig``: its two eldest, for blocking; ``spouse`` and ``spouse_year``:
  the spouse's first-name key and year of birth.

Two documents of the same kind, both present and more than one edit apart, mean two
people. That is a **hard rule after prediction** (``HARD_RULES``), not only a weight: an
identity number is what the state issued to one person, no agreement of names may
outweigh it, and a learned weight would depend on the data (a registry where namesakes
fill the training blocks teaches EM that matches often differ in documents — the very
failure this model corrects). The level stays in the model so that its weight shows in
the reasons, with its m probability fixed near zero.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy

#: Pairs at or above this probability are proposed for review.
THRESHOLD = 0.9
#: A link strong enough to join a cluster: a cluster of more than two households is
#: proposed only when all its households are joined by links at or above this, and every
#: pair of them is proposed; any other pair is proposed alone (``dedupe.clusters``).
LINK_THRESHOLD = 0.99

#: "Same family, other head": households sharing at least this many children (first
#: name, year of birth and father's name) ...
OTHER_HEAD_MIN_CHILDREN = 2
#: ... and at least this Jaccard share of their children (a baby born since, or a child
#: left out, still counts).
OTHER_HEAD_MIN_SHARE = 0.5

#: Dates teams write when only the year of birth is known.
PLACEHOLDER_DATES = ((1, 1), (7, 1))
#: Documents whose number identifies one person (an "other" document may be anything).
IDENTITY_DOCUMENTS = ("national_id", "civil_id", "nationality", "passport")

#: Comparisons and what a reviewer reads for each (the one list of these labels:
#: ``views.field_labels`` shows them).
FIELDS = {
    "first": gettext_lazy("first name"),
    "father": gettext_lazy("father's name"),
    "grandfather": gettext_lazy("grandfather's name"),
    "family": gettext_lazy("family name"),
    "birth": gettext_lazy("date of birth"),
    "phone": gettext_lazy("phone"),
    "document": gettext_lazy("document number"),
    "children": gettext_lazy("children"),
    "spouse": gettext_lazy("spouse"),
    "sex": gettext_lazy("sex"),
    "governorate": gettext_lazy("governorate"),
}
#: What the "same family, other head" pass stores besides the comparisons' codes.
OTHER_HEAD_FIELDS = {
    "children_father": gettext_lazy("the children's father is the other head"),
    "head": gettext_lazy("another head of household"),
}

#: Pairs compared at all: those sharing one of these keys. The loose name keys only within
#: a governorate: across the country they made 95% of the comparisons (10 million at
#: 1,000,000 heads, against 0.6 million within governorates). Within a governorate also
#: first + father's name + year (a heavy re-registration: tribe for family name,
#: grandfather dropped, new SIM). Across governorates, a phone, a document, four of the
#: five name-and-year keys, or the same two eldest children (``kids_sig``: first name
#: and year of each; a baby born since does not change it).
PREDICTION_RULES = (
    ("governorate_id", "first", "family", "birth_year"),
    ("governorate_id", "first", "father", "family"),
    ("governorate_id", "father", "family", "birth_year"),
    ("phone",),
    ("document",),
    ("father", "grandfather", "family", "birth_year"),
    ("first", "grandfather", "family", "birth_year"),
    ("first", "father", "family", "birth_year"),
    ("first", "father", "grandfather", "birth_year"),
    ("first", "father", "grandfather", "family"),
    ("governorate_id", "first", "father", "birth_year"),
    ("kids_sig",),
)
#: Rules whose named column is an array exploded before the join (none today: a rule on
#: one child in common, exploded, made 20 million pairs at 1,000,000 households, most of
#: them the children of different men of one common name; ``kids_sig``, the two eldest
#: children, finds the same families and few others).
EXPLODED: dict[str, list[str]] = {}
#: Expectation maximisation: pairs sharing these keys teach the m probabilities of the
#: other fields. A shared document or phone: almost only true pairs, so the differences
#: EM sees are those of re-registrations. A session blocked on names would be full of
#: namesakes and teach that matches often differ in documents, dates and children.
TRAINING_RULES = (("document",), ("phone",))
#: Rules for the prior (the share of pairs that match), with the recall assumed.
PRIOR_RULES = (("document",), ("first", "father", "family", "birth_year"))
PRIOR_RECALL = 0.7
#: Pairs drawn for each expectation-maximisation session.
EM_MAX_PAIRS = 1e6

#: After prediction, pairs these conditions hold for are never proposed (see above).
#: Each is (comparison, label of its level); ``dedupe`` turns it into a filter on the
#: level's gamma value.
HARD_RULES = (("document", "different documents of the same kind"),)


#: m probabilities fixed rather than learned: how often the same person's two
#: registrations show this disagreement. The training pairs (sharing a document or a
#: phone) seldom or never show these, so EM would learn a weight of minus infinity (a
#: grandfather's name mistyped beyond Jaro-Winkler 0.9 scored -88) or nothing at all;
#: and they must not be learned from namesakes. Each is a judgement, written here.
FIXED_M = {
    ("grandfather", "else"): 0.02,  # another grandfather's name: a typo, or another man
    ("birth", "full dates differ"): 0.002,  # two full dates of one person: a typo
    ("document", "one typo apart"): 0.01,
    ("document", "different kinds"): 0.02,  # one registration took another document
    ("document", "same kind, different numbers"): 0.0005,  # and the hard rule
    ("children", "other children"): 0.002,  # both list children, none in common
    ("spouse", "another spouse"): 0.005,  # remarried, or a second wife
    ("sex", "else"): 0.01,  # sex written wrong
}


def _name_part(col: str, tf: bool = True):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    exact = cll.ExactMatchLevel(col)
    other = cll.ElseLevel()
    if (col, "else") in FIXED_M:
        other = other.configure(m_probability=FIXED_M[(col, "else")], fix_m_probability=True)
    return cl.CustomComparison(
        output_column_name=col,
        comparison_levels=[
            cll.NullLevel(col),
            exact.configure(tf_adjustment_column=col) if tf else exact,
            cll.JaroWinklerLevel(col, 0.9),
            other,
        ],
    )


def comparisons() -> list:
    """The comparisons, in the order of ``FIELDS``."""
    return [
        _name_part("first"),
        _name_part("father"),
        _name_part("grandfather", tf=False),
        _name_part("family"),
        _birth(),
        _phone(),
        _document(),
        _children(),
        _spouse(),
        _sex(),
        _governorate(),
    ]


def _level(sql: str, label: str, m: float | None = None):
    """A level written in DuckDB SQL; with ``m``, its m probability is fixed, not learned."""
    import splink.comparison_level_library as cll

    custom = cll.CustomLevel(sql, label, base_dialect_str="duckdb")
    return custom.configure(m_probability=m, fix_m_probability=True) if m else custom


def _birth():
    """Birth dates: a date known only by its year is compatible with a full one of that
    year; two full dates that differ are nearly always two people."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="birth",
        comparison_levels=[
            cll.NullLevel("birth_year"),
            _level("birth_full_l = birth_full_r", "same date of birth"),
            _level(
                "birth_year_l = birth_year_r AND (birth_full_l IS NULL OR birth_full_r IS NULL)",
                "same year, a date known only by its year",
            ),
            _level(
                "abs(birth_year_l - birth_year_r) = 1 "
                "AND (birth_full_l IS NULL OR birth_full_r IS NULL)",
                "a year apart, a date known only by its year",
            ),
            _level(
                "birth_year_l = birth_year_r",
                "full dates of birth that differ within a year",
                m=FIXED_M[("birth", "full dates differ")],
            ),
            cll.ElseLevel(),
        ],
    )


def _phone():
    """Phones: the same number, or one typo apart."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="phone",
        comparison_levels=[
            cll.NullLevel("phone"),
            cll.ExactMatchLevel("phone"),
            cll.DamerauLevenshteinLevel("phone", 1),
            cll.ElseLevel(),
        ],
    )


def _document():
    """Documents: the last level (same kind, other number) is the hard rule's level."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="document",
        comparison_levels=[
            cll.NullLevel("document"),
            cll.ExactMatchLevel("document"),
            cll.DamerauLevenshteinLevel("document", 1).configure(
                m_probability=FIXED_M[("document", "one typo apart")], fix_m_probability=True
            ),
            _level(
                "doc_type_l IS NULL OR doc_type_r IS NULL OR doc_type_l <> doc_type_r",
                "documents of different kinds",
                m=FIXED_M[("document", "different kinds")],
            ),
            _level(
                "1 = 1",
                HARD_RULES[0][1],
                m=FIXED_M[("document", "same kind, different numbers")],
            ),
        ],
    )


def _children():
    """Children ("first-name key|birth year" lists): most of them shared, some, or none."""
    import splink.comparison_library as cl

    shared = "len(list_intersect(kids_l, kids_r))"
    union = f"(len(kids_l) + len(kids_r) - {shared})"
    return cl.CustomComparison(
        output_column_name="children",
        comparison_levels=[
            _level("kids_l IS NULL OR kids_r IS NULL", "children not listed").configure(
                is_null_level=True
            ),
            _level(
                f"{shared} >= 2 AND {shared} * 2 >= {union}",
                "the same children",
            ),
            _level(f"{shared} >= 1", "some children in common"),
            _level("1 = 1", "other children", m=FIXED_M[("children", "other children")]),
        ],
    )


def _spouse():
    """The spouse: same first-name key, and years of birth at most one apart if known."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="spouse",
        comparison_levels=[
            cll.NullLevel("spouse"),
            _level(
                "spouse_l = spouse_r AND (spouse_year_l IS NULL OR spouse_year_r IS NULL "
                "OR abs(spouse_year_l - spouse_year_r) <= 1)",
                "the same spouse",
            ),
            _level("1 = 1", "another spouse", m=FIXED_M[("spouse", "another spouse")]),
        ],
    )


def _sex():
    """Sex: a disagreement is rare among true pairs (written wrong), so its m is fixed."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="sex",
        comparison_levels=[
            cll.NullLevel("sex"),
            cll.ExactMatchLevel("sex"),
            cll.ElseLevel().configure(
                m_probability=FIXED_M[("sex", "else")], fix_m_probability=True
            ),
        ],
    )


def _governorate():
    """The governorate: the same one, or another."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="governorate",
        comparison_levels=[
            cll.NullLevel("governorate_id"),
            cll.ExactMatchLevel("governorate_id"),
            cll.ElseLevel(),
        ],
    )


def blocking_rules() -> list:
    from splink import block_on

    return [block_on(*rule, arrays_to_explode=_exploded(rule) or None) for rule in PREDICTION_RULES]


def _exploded(rule: tuple[str, ...]) -> list[str]:
    return [array for col in rule for array in EXPLODED.get(col, [])]


def settings():
    """Splink's settings: comparisons, blocking rules, link type."""
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        retain_intermediate_calculation_columns=True,
        max_iterations=8,
        em_convergence=0.001,
        # The gamma columns (which level each pair reached) come only with the matching
        # columns: the hard rules and the "missing" reasons read them.
        retain_matching_columns=True,
    )
