"""The field form in Central Kurdish: pyxform accepts a third language, and every
question, choice and location carries a Kurdish label beside the English and Arabic."""

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from amina.needs.xlsform import CKB, build_form, build_xlsform

pytestmark = pytest.mark.django_db


def test_the_form_converts_with_a_kurdish_translation(location_a, gov_a, sectors):
    content = build_xlsform([gov_a])
    warnings = []
    xform = convert(content, warnings=warnings, file_type=".xlsx").xform
    assert warnings == []
    assert f'lang="{CKB}"' in xform
    # The form's own words, a sector, a severity level and the governorate, in Kurdish.
    assert "بەرواری هەڵسەنگاندن" in xform
    assert "پشتگیریی تەندروستی" in xform
    assert "کارەساتبار" in xform
    assert "نەجەف" in xform


def test_every_question_with_a_label_has_a_kurdish_one(location_a, gov_a, sectors):
    from io import BytesIO

    sheet = load_workbook(BytesIO(build_xlsform([gov_a])))["survey"]
    header = [c.value for c in sheet[1]]
    english, kurdish = header.index("label::English (en)"), header.index(f"label::{CKB}")
    for row in sheet.iter_rows(min_row=2, values_only=True):
        if row[english]:
            assert row[kurdish], row[1]


def test_the_locations_attachment_has_kurdish_labels(location_a, gov_a):
    location_a.name_ckb = "گەڕەکی نوور"
    location_a.save()
    csv_text = build_form([gov_a]).locations_csv.decode("utf-8")
    assert f"label::{CKB}" in csv_text.splitlines()[0]
    assert "گەڕەکی نوور" in csv_text
