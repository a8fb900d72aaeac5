"""The reader's bounds, in process (the corpus runs them under a memory limit)."""

import io

import pytest
from openpyxl import Workbook

from amina.lib import tabular
from amina.lib.tabular import Column, Report, Row, TableError

COLUMNS = [Column("name", required=True), Column("count")]


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_trailing_empty_cells_are_dropped_and_rows_numbered_as_in_the_file():
    table = tabular.read_table(b"Title\n\nname,count,,,\nA,1,,,\n\nB,2\n", COLUMNS)
    assert [(r.number, r.values) for r in table.rows] == [
        (4, {"name": "A", "count": "1"}),
        (6, {"name": "B", "count": "2"}),
    ]
    assert table.above == [["Title"]]


def test_an_importer_may_lower_a_bound_but_not_raise_it(settings):
    settings.AMINA_UPLOAD_MAX_ROWS = 10
    assert tabular.limits(max_rows=5).max_rows == 5
    assert tabular.limits(max_rows=50).max_rows == 10
    with pytest.raises(TableError, match="more rows than the limit of 5"):
        tabular.read_table(b"name\n" + b"x\n" * 6, COLUMNS, limit=tabular.limits(max_rows=5))


def test_a_repeated_header_nobody_reads_is_harmless():
    table = tabular.read_table(b"name,notes,notes\nA,x,y\n", COLUMNS)
    assert table.rows[0].values["name"] == "A"


def test_a_repeated_expected_header_is_refused_naming_it():
    with pytest.raises(TableError, match="the header 'count' appears twice"):
        tabular.read_table(b"name,count,count\nA,1,2\n", COLUMNS)


def test_a_workbook_is_read_like_a_csv_file():
    table = tabular.read_table(_xlsx([["name", "count"], ["A", 3]]), COLUMNS)
    assert table.rows[0].values == {"name": "A", "count": 3}


@pytest.mark.parametrize(
    "raw,message",
    [(1e23, "1E+23 is above the limit of 1,000,000,000"), ("-5", "-5 is below 0")],
)
def test_counts_beyond_a_sane_range_are_refused_by_row_and_column(raw, message):
    report = Report()
    assert tabular.cell_int(report, Row(7, {"count": raw}), "count", header="Families") is None
    assert str(report.errors[0]) == f"row 7, column 'Families': {message}"


def test_a_number_that_is_not_finite_is_refused():
    report = Report()
    assert tabular.cell_float(report, Row(3, {"lat": float("inf")}), "lat") is None
    assert "is not a number" in str(report.errors[0].message)
