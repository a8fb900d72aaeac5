"""Finding families registered twice: probabilistic record linkage with Splink on DuckDB.

The heads of open households are compared on their normalised name parts, year and
date of birth, phone, document number, sex and governorate (keys from
``amina.registry.names``, so an alef or hamza variant or a taa marbuta never counts as
a difference). Blocking rules keep the comparisons to records that share a strong key:
within one governorate, two or three name parts (and the year of birth); across
governorates, the phone, the document or four of the five name-and-year keys, because
the loose name keys across the whole country are most of the work and find few more
families. The model's m and u probabilities are trained on the data itself (random
sampling for u with ``max_pairs``; expectation maximisation for m on pairs sharing
first name, family name and year, then phone, each capped at ``EM_MAX_PAIRS``), DuckDB's
memory is capped, and pairs above the threshold become clusters (connected components).
The result is stored as ``DuplicateCandidate`` rows by ``services.save_candidates``:
decided pairs are never proposed again.

At 1,000,000 heads this takes under half a minute on two idle cores, and about a minute
when they are shared (``docs/performance.md``).
"""

from __future__ import annotations

import io
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field

from django.db import connection

from amina.registry.models import Household, Member

log = logging.getLogger(__name__)

#: Pairs at or above this probability are proposed for review.
THRESHOLD = 0.9
#: Comparisons and what a reviewer reads for each.
FIELDS = {
    "first": "first name",
    "father": "father's name",
    "grandfather": "grandfather's name",
    "family": "family name",
    "birth": "date of birth",
    "phone": "phone",
    "document": "document number",
    "sex": "sex",
    "governorate": "governorate",
}
COLUMNS = [
    "unique_id",
    "governorate_id",
    "first",
    "father",
    "grandfather",
    "family",
    "latin",
    "birth_year",
    "birth_date",
    "phone",
    "document",
    "sex",
]


@dataclass
class Outcome:
    records: int = 0
    pairs: list[dict] = field(default_factory=list)
    seconds: float = 0.0
    clusters: int = 0


def load_heads(governorate_ids: list[int] | None = None):
    """The heads of open, unmerged households as a pyarrow table (one scan, streamed).

    On PostgreSQL the rows leave the server as CSV (``COPY … TO STDOUT``) and pyarrow
    parses them in C: iterating a million Django rows in Python took most of the read.
    Empty keys become nulls, which Splink reads as "not known" rather than "equal".
    """
    qs = Member.objects.filter(
        is_head=True, household__status=Household.Status.OPEN, household__merged_into__isnull=True
    )
    if governorate_ids:
        qs = qs.filter(household__governorate_id__in=governorate_ids)
    # No ORDER BY: the model's ordering made PostgreSQL sort a million rows on disk.
    values = qs.order_by().values_list(
        "household_id",
        "household__governorate_id",
        "key_first",
        "key_father",
        "key_grandfather",
        "key_family",
        "key_latin",
        "birth_year",
        "birth_date",
        "key_phone",
        "key_document",
        "sex",
    )
    if connection.vendor == "postgresql":
        return _copy_heads(values)
    columns: list[list] = [[] for _ in COLUMNS]
    for row in values.iterator(chunk_size=20_000):
        for index, value in enumerate(row):
            columns[index].append(value if value != "" else None)
    import pyarrow as pa

    return pa.table(
        {
            name: pa.array(col, type=typ)
            for name, col, typ in zip(COLUMNS, columns, _types(), strict=True)
        }
    )


def _types() -> list:
    import pyarrow as pa

    return [
        pa.int64(),
        pa.int64(),
        pa.string(),
        pa.string(),
        pa.string(),
        pa.string(),
        pa.string(),
        pa.int32(),
        pa.date32(),
        pa.string(),
        pa.string(),
        pa.string(),
    ]


def _copy_heads(values):
    from pyarrow import csv

    query, params = values.query.sql_with_params()
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)", params) as copy:
            for chunk in copy:
                buffer.write(chunk)
    buffer.seek(0)
    return csv.read_csv(
        buffer,
        read_options=csv.ReadOptions(column_names=COLUMNS),
        parse_options=csv.ParseOptions(newlines_in_values=True),
        convert_options=csv.ConvertOptions(
            column_types=dict(zip(COLUMNS, _types(), strict=True)),
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


#: Pairs compared at all: those sharing one of these keys. The loose name keys only within
#: a governorate: across the country they made 95% of the comparisons (10 million at
#: 1,000,000 heads, against 0.6 million within governorates) and, beside the keys below,
#: found 0.06% more of the true pairs.
PREDICTION_RULES = (
    ("governorate_id", "first", "family", "birth_year"),
    ("governorate_id", "first", "father", "family"),
    ("governorate_id", "father", "family", "birth_year"),
    ("phone",),
    ("document",),
    # Four of the five name-and-year keys: a family registered again elsewhere with a
    # new phone and no document, and one name part or the year changed.
    ("father", "grandfather", "family", "birth_year"),
    ("first", "grandfather", "family", "birth_year"),
    ("first", "father", "family", "birth_year"),
    ("first", "father", "grandfather", "birth_year"),
    ("first", "father", "grandfather", "family"),
)
#: Expectation maximisation: pairs sharing these keys teach the m probabilities of the
#: other fields. Tight keys, so most pairs are true ones and there are few of them
#: (first name + family name alone gave 170 million pairs at 1,000,000 heads: seven of
#: the eight minutes the run took).
TRAINING_RULES = (("first", "family", "birth_year"), ("phone",))
#: Pairs drawn for each expectation-maximisation session (Splink samples records so that
#: the blocked pairs come to about this many).
EM_MAX_PAIRS = 1e6


def settings(threshold: float = THRESHOLD):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    def name_part(col: str) -> object:
        return cl.CustomComparison(
            output_column_name=col,
            comparison_levels=[
                cll.NullLevel(col),
                cll.ExactMatchLevel(col).configure(tf_adjustment_column=col),
                cll.JaroWinklerLevel(col, 0.9),
                cll.ElseLevel(),
            ],
        )

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            name_part("first"),
            name_part("father"),
            cl.CustomComparison(
                output_column_name="grandfather",
                comparison_levels=[
                    cll.NullLevel("grandfather"),
                    cll.ExactMatchLevel("grandfather"),
                    cll.JaroWinklerLevel("grandfather", 0.9),
                    cll.ElseLevel(),
                ],
            ),
            name_part("family"),
            cl.CustomComparison(
                output_column_name="birth",
                comparison_levels=[
                    cll.NullLevel("birth_year"),
                    cll.CustomLevel("birth_date_l = birth_date_r", "same date of birth"),
                    cll.ExactMatchLevel("birth_year"),
                    cll.AbsoluteDifferenceLevel("birth_year", 1),
                    cll.ElseLevel(),
                ],
            ),
            cl.CustomComparison(
                output_column_name="phone",
                comparison_levels=[
                    cll.NullLevel("phone"),
                    cll.ExactMatchLevel("phone"),
                    cll.DamerauLevenshteinLevel("phone", 1),
                    cll.ElseLevel(),
                ],
            ),
            cl.CustomComparison(
                output_column_name="document",
                comparison_levels=[
                    cll.NullLevel("document"),
                    cll.ExactMatchLevel("document"),
                    cll.ElseLevel(),
                ],
            ),
            cl.ExactMatch("sex"),
            cl.CustomComparison(
                output_column_name="governorate",
                comparison_levels=[
                    cll.NullLevel("governorate_id"),
                    cll.ExactMatchLevel("governorate_id"),
                    cll.ElseLevel(),
                ],
            ),
        ],
        blocking_rules_to_generate_predictions=[block_on(*rule) for rule in PREDICTION_RULES],
        retain_intermediate_calculation_columns=True,
        max_iterations=8,
        em_convergence=0.001,
        retain_matching_columns=False,
    )


def find(
    governorate_ids: list[int] | None = None,
    *,
    threshold: float = THRESHOLD,
    memory_limit: str | None = None,
    max_pairs: float = 2e6,
    progress=None,
    seed: int = 42,
) -> Outcome:
    """Run the linkage over the registry (or some governorates); returns the pairs above
    ``threshold`` with their cluster and the fields that agree and disagree."""
    progress = progress or (lambda *a: None)
    started = time.monotonic()
    outcome = Outcome()
    progress(0, 5, "reading the registry")
    heads = load_heads(governorate_ids)
    _lap(started, "read %s heads", heads.num_rows)
    outcome.records = heads.num_rows
    if heads.num_rows < 2:
        outcome.seconds = time.monotonic() - started
        return outcome
    rows = _link(heads, threshold, memory_limit, max_pairs, progress, seed)
    outcome.pairs = rows
    outcome.clusters = len({r["cluster"] for r in rows})
    outcome.seconds = time.monotonic() - started
    return outcome


def _link(heads, threshold, memory_limit, max_pairs, progress, seed) -> list[dict]:
    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    # Its one warning says that a small rule was not sampled, which is what we want.
    logging.getLogger("splink.internals.em_sampling").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="amina-dedupe-") as tmp:
        con = duckdb.connect(os.path.join(tmp, "dedupe.duckdb"))
        limit = memory_limit or os.environ.get("AMINA_DEDUPE_MEMORY", "3GB")
        con.execute(f"SET memory_limit = '{limit}'")
        con.execute(f"SET temp_directory = '{tmp}'")
        con.execute("SET preserve_insertion_order = false")
        heads_count = heads.num_rows
        con.register("heads_arrow", heads)
        con.execute("CREATE TABLE heads AS SELECT * FROM heads_arrow")
        con.unregister("heads_arrow")
        db_api = DuckDBAPI(connection=con)
        table = db_api.register("heads")
        linker = Linker(table, settings(threshold), log_level=None)
        progress(1, 5, "training the model")
        timer = time.monotonic()
        linker.training.estimate_probability_two_random_records_match(
            [block_on("document"), block_on("first", "father", "family", "birth_year")],
            recall=0.7,
        )
        # u needs many random pairs, but never more than the data has.
        pairs_available = heads_count * (heads_count - 1) / 2
        linker.training.estimate_u_using_random_sampling(
            max_pairs=min(max_pairs, max(1e4, pairs_available / 4)), seed=seed
        )
        for rule in TRAINING_RULES:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule), estimate_without_term_frequencies=True, max_pairs=EM_MAX_PAIRS
            )
        timer = _lap(timer, "trained on %s records", heads_count)
        progress(2, 5, "comparing records")
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        _lap(timer, "compared")
        weights = ", ".join(f"mw_{name}" for name in FIELDS)
        pairs = con.execute(
            f"SELECT unique_id_l, unique_id_r, match_probability, {weights} "  # noqa: S608
            f"FROM {predictions.physical_name}"
        ).fetchall()
        con.close()
    progress(3, 5, "clustering")
    roots = _components((left, right) for left, right, *_rest in pairs)
    progress(4, 5, "saving")
    cluster_numbers: dict = {}
    rows = []
    for left, right, probability, *weights_ in pairs:
        agreeing, disagreeing = [], []
        # A field's match weight is positive when it speaks for a match, negative when
        # against, and zero when a value is missing on either side.
        for name, value in zip(FIELDS, weights_, strict=True):
            if value:
                (agreeing if value > 0 else disagreeing).append(name)
        number = cluster_numbers.setdefault(roots[left], len(cluster_numbers) + 1)
        rows.append(
            {
                "a": int(left),
                "b": int(right),
                "probability": float(probability),
                "cluster": number,
                "agreeing": agreeing,
                "disagreeing": disagreeing,
            }
        )
    return rows


def _components(pairs) -> dict:
    """Clusters: each record of a pair → the smallest id of its connected component.

    Union-find over the pairs rather than Splink's clustering, which walks every record
    of the registry (5 s at 1,000,000 heads) when only the records in pairs matter.
    """
    parent: dict = {}

    def root(node):
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]  # halve the path as we go
            node = parent[node]
        return node

    for left, right in pairs:
        a, b = root(left), root(right)
        if a != b:
            parent[max(a, b)] = min(a, b)
    return {node: root(node) for node in parent}


def _lap(started: float, what: str, *args) -> float:
    """Log how long a step took (the benchmark and a slow run's log say where time goes)."""
    now = time.monotonic()
    log.info("dedupe: " + what + " in %.1f s", *args, now - started)
    return now


def exact_baseline(governorate_ids: list[int] | None = None) -> set[tuple[int, int]]:
    """The naive rule the benchmark compares against: the head's four names exactly as
    written, and the year of birth, identical (what a spreadsheet lookup does)."""
    qs = Member.objects.filter(is_head=True, household__status=Household.Status.OPEN)
    if governorate_ids:
        qs = qs.filter(household__governorate_id__in=governorate_ids)
    groups: dict[tuple, list[int]] = {}
    for pk, *key in qs.values_list(
        "household_id",
        "first_name_ar",
        "father_name_ar",
        "grandfather_name_ar",
        "family_name_ar",
        "birth_year",
    ).iterator(chunk_size=20_000):
        if key[0] and key[-1]:
            groups.setdefault(tuple(key), []).append(pk)
    pairs = set()
    for ids in groups.values():
        ids.sort()
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                pairs.add((a, b))
    return pairs


def run(user, governorate_ids: list[int] | None = None, progress=None, **options) -> dict:
    """Find duplicates and store them for review; returns a summary for the job."""
    from amina.registry.services import save_candidates

    outcome = find(governorate_ids, progress=progress, **options)
    governorates = (
        dict(
            Household.objects.filter(
                pk__in={p["a"] for p in outcome.pairs} | {p["b"] for p in outcome.pairs}
            ).values_list("pk", "governorate_id")
        )
        if len(outcome.pairs) < 50_000
        else dict(Household.objects.values_list("pk", "governorate_id").iterator(chunk_size=50_000))
    )
    for pair in outcome.pairs:
        if pair["a"] > pair["b"]:
            pair["a"], pair["b"] = pair["b"], pair["a"]
    summary = save_candidates(outcome.pairs, governorates)
    return {
        "records": outcome.records,
        "pairs": len(outcome.pairs),
        "clusters": outcome.clusters,
        "seconds": round(outcome.seconds, 1),
        **summary,
    }
