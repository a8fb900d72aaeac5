"""The staged import on PostgreSQL (``COPY`` the file, judge each distinct value once)
writes exactly what the row-by-row import writes, and refuses a bad file with exactly
the same problems. Each file is imported both ways and the results compared."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from amina.geo.models import Location
from amina.lib import tabular
from amina.lib.tabular import ImportFailed, TableError
from amina.registry import names, staging
from amina.registry.importing import import_households
from amina.registry.models import Household, Member
from amina.registry.tests.conftest import SAMPLES

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the staged import is PostgreSQL's"
    ),
]

HOUSEHOLDS = (SAMPLES / "households.csv").read_text(encoding="utf-8")
MEMBERS = (SAMPLES / "household-members.csv").read_text(encoding="utf-8")
HOUSEHOLD_FIELDS = [
    f.attname for f in Household._meta.concrete_fields if f.attname not in ("id", "registered_at")
]
MEMBER_FIELDS = [f.attname for f in Member._meta.concrete_fields if f.attname != "id"]


def table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def to_csv(rows, delimiter=",", encoding="utf-8") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


def snapshot() -> tuple[list, list]:
    refs = dict(Household.objects.values_list("pk", "household_ref"))
    households = sorted(
        (tuple(row) for row in Household.objects.values_list(*HOUSEHOLD_FIELDS)),
        key=lambda r: r[0],
    )
    members = sorted(
        tuple(
            refs[v] if f == "household_id" else v for f, v in zip(MEMBER_FIELDS, row, strict=True)
        )
        for row in Member.objects.values_list(*MEMBER_FIELDS)
    )
    return households, members


@pytest.fixture
def both_ways(monkeypatch):
    """Import with the staged path (checking it was taken), then again row by row;
    returns the two snapshots or the two refusals."""
    staged_calls = []
    real = staging.import_staged

    def spy(*args, **kwargs):
        try:
            outcome = real(*args, **kwargs)
        except ImportFailed:
            staged_calls.append("refused")
            raise
        staged_calls.append(outcome)
        return outcome

    def run(households: bytes, members: bytes | None):
        outcomes = []
        for way in ("staged", "rows"):
            if way == "staged":
                monkeypatch.setattr(staging, "import_staged", spy)
            else:
                monkeypatch.setattr(staging, "import_staged", lambda *a, **k: None)
            known = set(Location.objects.values_list("pk", flat=True))
            try:
                result = import_households(None, households, members, filename="h.csv")
                households_, members_ = snapshot()
                new = Location.objects.exclude(pk__in=known)
                places = {
                    loc.pk: (loc.name_en, loc.name_ar, loc.kind, loc.governorate_id,
                             loc.district_id, loc.centroid_lat, loc.centroid_lon)
                    for loc in new
                }  # fmt: skip
                # New places are compared by what they are, not by their ids.
                location = HOUSEHOLD_FIELDS.index("location_id")
                households_ = [
                    (*h[:location], places.get(h[location], h[location]), *h[location + 1 :])
                    for h in households_
                ]
                outcomes.append(((households_, members_), result.households, result.members))
            except ImportFailed as refused:
                outcomes.append([(p.row, p.column, p.message) for p in refused.report.errors])
            Member.objects.all().delete()
            Household.objects.all().delete()
            Location.objects.exclude(pk__in=known).delete()
        assert staged_calls[-1] is not None, "the staged path was not taken"
        return outcomes

    return run


def checked_staged(households: bytes) -> dict | None:
    """The staged path alone, checking only (None: the file is not for it)."""
    return staging.import_staged(
        None,
        households,
        None,
        filename="h.csv",
        members_filename="",
        progress=lambda *a: None,
        dry_run=True,
        audit=lambda *a: None,
    )


def test_the_template_pair_is_written_the_same_both_ways(reference_geography, both_ways):
    staged, rows = both_ways(HOUSEHOLDS.encode(), MEMBERS.encode())
    assert staged == rows
    (households, members), n_households, n_members = staged
    assert n_households == 63 and len(households) == 63 and len(members) == n_members


def messy() -> tuple[list[list[str]], list[list[str]]]:
    """The template as people really fill it: Arabic digits and answers, other date
    forms, padded cells, phones in every format, numbering mistakes, a new place."""
    households = table(HOUSEHOLDS)[:9]
    members = [r for r in table(MEMBERS) if r[0] in {h[0] for h in households}]
    head = households[0]
    col = {name: head.index(name) for name in head}
    h = households
    h[1][col["household_size"]] = "١١"
    h[1][col["female_headed"]] = "نعم"
    h[1][col["phone"]] = "+964 799 154 8234"
    h[2][col["phone"]] = "٠٧٨٩٢١٧٦٥٠٩"
    h[2][col["registration_date"]] = "25/04/2015"
    h[2][col["head_sex"]] = "ذكر"
    h[3][col["head_first_name_ar"]] = "  أحمد  "
    h[3][col["head_birth_date"]] = "1975"
    h[3][col["id_doc_number"]] = "ab-12 34/56"
    h[4][col["location"]] = "مخيم الأمل الجديد"
    h[4][col["district"]] = ""
    h[5][col["governorate"]] = h[4][col["governorate"]]
    h[5][col["location"]] = "مخيم الامل الجديد"  # the same new place, spelt otherwise
    h[5][col["district"]] = ""
    h[5][col["head_family_name_ar"]] = "آل عبد الله"
    h[5][col["head_name_latin"]] = "Abdul Rahman Al-Jubouri"
    h[6][col["consent"]] = "نعم"
    h[6][col["id_doc_type"]] = "البطاقة الوطنية"
    h[7][col["household_ref"]] = "\u00a0" + h[7][col["household_ref"]] + "\t"
    h[7][col["head_family_name_ar"]] = "\u2003" + h[7][col["head_family_name_ar"]]
    h[8][col["phone"]] = " 0770 123 4567\u00a0"
    m_col = {name: members[0].index(name) for name in members[0]}
    for number, row in enumerate(members[1:], start=1):
        if number % 3 == 0:
            row[m_col["member_no"]] = "2"  # the same number twice in a household
        if number % 5 == 0:
            row[m_col["member_no"]] = ""
        if number % 7 == 0:
            row[m_col["relationship"]] = "ابن"
            row[m_col["birth_date"]] = "٢٠١٠"
    return households, members


def test_messy_files_are_written_the_same_both_ways(reference_geography, both_ways):
    households, members = messy()
    staged, rows = both_ways(to_csv(households), to_csv(members))
    assert staged == rows
    (written, _members), _h, _m = staged
    assert len(written) == len(households) - 1
    location = HOUSEHOLD_FIELDS.index("location_id")
    created = {w[location][0] for w in written if isinstance(w[location], tuple)}
    assert "مخيم الأمل الجديد" in created and "مخيم الامل الجديد" not in created


def test_an_empty_origin_governorate_is_written_the_same_both_ways(reference_geography, both_ways):
    """The governorate of origin is optional on both paths (one rule:
    ``importing_rules.origin``), not "governorate is empty" on the staged one."""
    households, members = messy()
    col = {name: households[0].index(name) for name in households[0]}
    households[2][col["origin_governorate"]] = ""
    staged, rows = both_ways(to_csv(households), to_csv(members))
    assert staged == rows
    (written, _members), _h, _m = staged
    origin = HOUSEHOLD_FIELDS.index("origin_governorate_id")
    assert sum(1 for w in written if w[origin] is None) == 1


def test_a_semicolon_windows_arabic_file_is_written_the_same_both_ways(
    reference_geography, both_ways
):
    households, members = messy()
    staged, rows = both_ways(
        to_csv(households, ";", "cp1256"), b"\xef\xbb\xbf" + to_csv(members, "\t")
    )
    assert staged == rows


def test_bad_files_are_refused_with_the_same_problems_both_ways(reference_geography, both_ways):
    households, members = messy()
    col = {name: households[0].index(name) for name in households[0]}
    households[1][col["head_birth_date"]] = "31/02/1990"
    households[2][col["governorate"]] = "Atlantis"
    households[3][col["household_ref"]] = households[2][col["household_ref"]]
    households[4][col["consent"]] = "no"
    households[5][col["disability"]] = "maybe"
    households[6][col["displacement_date"]] = (
        timezone.localdate() + datetime.timedelta(days=30)
    ).isoformat()
    households[7][col["head_first_name_ar"]] = " "
    households[8][col["shelter_type"]] = "palace"
    m_col = {name: members[0].index(name) for name in members[0]}
    members[1][m_col["household_ref"]] = "HH-99999"
    members[2][m_col["member_no"]] = "two"
    members[3][m_col["sex"]] = "x"
    staged, rows = both_ways(to_csv(households), to_csv(members))
    assert staged == rows
    columns = {column for _row, column, _message in staged}
    assert {"head_birth_date", "governorate", "household_ref", "consent", "disability"} <= columns
    assert {"displacement_date", "head_first_name_ar", "shelter_type"} <= columns
    assert {"members:household_ref", "members:member_no", "members:sex"} <= columns
    assert not Household.objects.exists()


def test_kobotoolbox_csv_exports_are_written_the_same_both_ways(reference_geography, both_ways):
    source = table(HOUSEHOLDS)[:4]
    households = [["group/" + h for h in source[0]] + ["_index"]]
    households += [r + [str(n)] for n, r in enumerate(source[1:], start=1)]
    members = table(MEMBERS)
    repeat = [[h for h in members[0] if h != "household_ref"] + ["_parent_index"]]
    for row in members[1:]:
        parent = next((n for n, r in enumerate(source[1:], start=1) if r[0] == row[0]), None)
        if parent:
            repeat.append(row[1:] + [str(parent)])
    staged, rows = both_ways(to_csv(households), to_csv(repeat))
    assert staged == rows
    repeat[1][-1] = "99"
    staged, rows = both_ways(to_csv(households), to_csv(repeat))
    assert staged == rows and staged[0][1] == "members:_parent_index"


def test_a_file_copy_cannot_parse_goes_the_row_by_row_way(reference_geography):
    ragged = HOUSEHOLDS.encode() + b"HH-X,2015-01-01\n"
    assert checked_staged(ragged) is None
    with pytest.raises(ImportFailed):
        import_households(None, ragged, filename="h.csv")
    assert not Household.objects.exists()


PHONE_LIKE = st.text(
    alphabet=st.sampled_from(list("0123456789٠١٢٣٤٥٦٧٨٩۰۱۲۳ +-()/abcXYZß٫٬،")), max_size=24
)


@settings(max_examples=300, deadline=None)
@given(PHONE_LIKE)
def test_the_sql_keys_are_the_python_keys(text):
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {names.phone_key_sql('x')}, {names.document_key_sql('x')} "  # noqa: S608
            "FROM (VALUES (%s)) AS t(x)",
            [text],
        )
        assert cursor.fetchone() == (names.phone_key(text), names.document_key(text))


def test_no_copy_turns_the_staged_path_and_copy_off(reference_geography, monkeypatch):
    """``AMINA_NO_COPY=1`` (``amina.lib.bulk.use_copy``) turns off every COPY fast path,
    the registry's too: the file is checked and written row by row."""
    monkeypatch.setenv("AMINA_NO_COPY", "1")
    assert checked_staged(HOUSEHOLDS.encode()) is None
    copied = []
    monkeypatch.setattr("amina.registry.bulk._write_copy", lambda *a: copied.append(a))
    result = import_households(None, HOUSEHOLDS.encode(), MEMBERS.encode(), filename="h.csv")
    assert not copied
    assert result.households == Household.objects.count() == 63
    assert result.members == Member.objects.count()


def test_a_line_copy_would_read_as_the_end_of_its_input_goes_the_row_by_row_way(
    reference_geography,
):
    """``\\.`` alone on a line ends COPY's input without an error: the rows after it
    would be lost, so such a file is never given to COPY."""
    lines = HOUSEHOLDS.encode().split(b"\n")
    marked = b"\n".join([*lines[:3], b"\\.", *lines[3:]])
    outcome = checked_staged(marked)
    assert outcome is None


def test_a_clean_file_is_checked_and_written_in_one_pass(reference_geography, monkeypatch):
    """No member row is materialised for a clean file: the members are judged and
    written by one INSERT … SELECT from the staged file."""
    long_way = []
    real = staging.staging_checks.check_members
    monkeypatch.setattr(
        staging.staging_checks, "check_members", lambda *a: long_way.append(1) or real(*a)
    )
    result = import_households(None, HOUSEHOLDS.encode(), MEMBERS.encode(), filename="h.csv")
    assert result.households == 63 and Member.objects.count() == result.members
    assert not long_way


def over_the_limits():
    """(settings, households, members): files each just over one reader limit."""
    households, members = table(HOUSEHOLDS), table(MEMBERS)
    long_name = [row[:] for row in households]
    long_name[5][households[0].index("head_family_name_ar")] = "ع" * 61
    long_member = [row[:] for row in members]
    long_member[9][members[0].index("first_name_ar")] = "x" * 61
    return [
        ({"AMINA_UPLOAD_MAX_ROWS": 40}, households, None),
        ({"AMINA_UPLOAD_MAX_ROWS": 40}, households[:30], members),
        ({"AMINA_UPLOAD_MAX_COLUMNS": 20}, households, None),
        ({"AMINA_UPLOAD_MAX_CELL_CHARS": 60}, long_name, None),
        ({"AMINA_UPLOAD_MAX_CELL_CHARS": 60}, households, long_member),
        ({"AMINA_UPLOAD_MAX_BYTES": 2000}, households, None),
    ]


@pytest.mark.parametrize("case", range(6))
def test_a_file_over_the_readers_limits_is_refused_with_the_row_paths_message(
    reference_geography, settings, monkeypatch, case
):
    lowered, households, members = over_the_limits()[case]
    for name, value in lowered.items():
        setattr(settings, name, value)
    files = (to_csv(households), to_csv(members) if members else None)
    staged = staging.import_staged(
        None, *files, filename="h.csv", members_filename="m.csv", progress=lambda *a: None,
        dry_run=False, audit=lambda *a: None,
    )  # fmt: skip
    assert staged is None, "the staged path must not take a file over the limits"
    messages = []
    for way in ("staged", "rows"):
        if way == "rows":
            monkeypatch.setattr(staging, "import_staged", lambda *a, **k: None)
        with pytest.raises(TableError) as refused:
            import_households(None, *files, filename="h.csv", members_filename="m.csv")
        messages.append(str(refused.value))
    assert messages[0] == messages[1] and ("limit" in messages[0] or "longer" in messages[0])
    assert not Household.objects.exists()


def test_a_record_at_the_worst_case_of_quoting_just_over_the_limit_goes_the_row_by_row_way(
    reference_geography, monkeypatch
):
    """A row of cells made only of quotes (each written doubled, inside quotes) and a
    CRLF is 2 x its characters + 3 per cell + 1 long: one character over the reader's
    record limit must not slip past the staged path's bound."""
    households = table(HOUSEHOLDS)[:2]
    width = len(households[0])
    households[1] = ['"' * 100] * width
    record = 2 * 100 * width + 3 * width  # the row's length is this + 1
    monkeypatch.setattr(tabular, "limits", lambda **lower: tabular.Limits(max_row_chars=record))
    assert checked_staged(to_csv(households)) is None
    with pytest.raises(TableError, match="longer than"):
        import_households(None, to_csv(households), None, filename="h.csv")


def test_a_clean_file_that_needs_renumbering_or_names_no_household_goes_the_long_way(
    reference_geography, both_ways
):
    """The one-pass write meets these only as it writes (numbers given twice, a
    reference written with spaces around it, one of no household): it rolls back to
    its savepoint and the long way writes (renumbered, stripped) or refuses, as the
    row path does."""
    members = table(MEMBERS)
    col = {name: members[0].index(name) for name in members[0]}
    first, second = members[1], next(r for r in members[2:] if r[0] == members[1][0])
    second[col["member_no"]] = first[col["member_no"]] = "3"
    staged, rows = both_ways(HOUSEHOLDS.encode(), to_csv(members))
    assert staged == rows
    members[3][col["household_ref"]] = f"\u00a0{members[3][col['household_ref']]} "
    staged, rows = both_ways(HOUSEHOLDS.encode(), to_csv(members))
    assert staged == rows and isinstance(staged, tuple)
    members[4][col["household_ref"]] = "HH-99999"
    staged, rows = both_ways(HOUSEHOLDS.encode(), to_csv(members))
    assert staged == rows and staged[0][1] == "members:household_ref"
