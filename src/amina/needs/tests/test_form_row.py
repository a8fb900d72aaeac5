"""The needs importer reads each export row once into a FormRow of the form's questions."""

import datetime

from amina.lib.tabular import Report, Row, int_value
from amina.needs.importing import FormRow


def _row(**values):
    return Row(7, values)


def test_it_reads_a_row_into_the_forms_questions():
    day = datetime.date(2015, 6, 4)
    cells = FormRow.of(
        _row(
            location=" 900001 ",
            governorate="IQG01 ",
            assessed_on=day,
            team=" RART 2 ",
            ki_count="4",
            phase=" During ",
            sev_1="3",
            sev_2="",
            sev_4=None,
            sev_5=2,
            priority_1="2",
            priority_1_text="tents",
            priority_3="1",
            notes=" as written ",
        ),
        [1, 2, 3, 4, 5],
    )
    assert cells.number == 7
    assert (cells.location, cells.governorate, cells.team, cells.phase) == (
        "900001",
        "IQG01",
        "RART 2",
        "During",
    )
    assert cells.assessed_on == day and cells.ki_count == "4" and cells.population == ""
    assert cells.severities == {1: "3", 5: 2}, "only the sectors rated, cells as the file has them"
    assert cells.priorities == ["2", "", "1"]
    assert cells.priority_texts == ["tents", "", ""]
    assert cells.notes == " as written " and cells.ki_description == ""


def test_int_value_refuses_as_cell_int_does():
    report = Report()
    assert int_value(report, 3, "1,234", "general/ki_count") == 1234
    assert int_value(report, 3, "", "general/ki_count", required=True) is None
    assert int_value(report, 3, "abc", "general/ki_count") is None
    assert [(p.row, p.column, str(p.message)) for p in report.problems] == [
        (3, "general/ki_count", "is required"),
        (3, "general/ki_count", "'abc' is not a whole number"),
    ]
