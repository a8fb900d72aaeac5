"""The flash report: its figures, its PDF and its command."""

import io
import re
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from amina.geo.models import Governorate
from amina.reports import figures, rendering
from amina.tracking.models import AssessmentShelter, LocationAssessment, ShelterType

pytestmark = pytest.mark.django_db


def independent(round_code: str, pcodes: list[str]) -> dict:
    """The same figures counted row by row from the assessments, without tracking's queries."""
    rows = list(
        LocationAssessment.objects.filter(round__code=round_code).select_related(
            "location__governorate"
        )
    )
    chosen = [r for r in rows if r.location.governorate.pcode in pcodes]
    return {
        "families": sum(r.families for r in chosen),
        "individuals": sum(r.individuals for r in chosen),
        "returnees": sum(r.returnee_individuals for r in chosen),
        "national": sum(r.individuals for r in rows),
        "locations": len(chosen),
    }


def test_its_figures_equal_an_independent_count(displacement):
    gov = Governorate.objects.filter(pcode__in=["IQG04", "IQG09"]).order_by("pcode")
    figs = figures.compute(figures.find_round("R2"), list(gov))
    now, before = independent("R2", ["IQG04", "IQG09"]), independent("R1", ["IQG04", "IQG09"])
    assert figs.scope.idp_families == now["families"] == 150 + 65 + 910 + 48
    assert figs.scope.idp_individuals == now["individuals"]
    assert figs.scope.returnee_individuals == now["returnees"]
    assert figs.scope.locations == now["locations"] == 4
    assert figs.national.idp_individuals == now["national"]
    assert figs.share == pytest.approx(100 * now["individuals"] / now["national"])
    assert figs.change_families == now["families"] - before["families"]
    assert figs.change_individuals == now["individuals"] - before["individuals"]
    assert figs.trend == [("R1", before["individuals"]), ("R2", now["individuals"])]
    expected_shelter = {}
    for s in AssessmentShelter.objects.filter(
        assessment__round__code="R2",
        assessment__location__governorate__pcode__in=["IQG04", "IQG09"],
    ).select_related("shelter_type"):
        expected_shelter[s.shelter_type.name] = (
            expected_shelter.get(s.shelter_type.name, 0) + s.families
        )
    assert dict(figs.shelter) == expected_shelter


def test_the_whole_country_is_the_sum_of_every_location(displacement):
    figs = figures.compute(figures.find_round("R2"), None)
    now = independent("R2", ["IQG01", "IQG04", "IQG09"])
    assert figs.scope.idp_individuals == now["individuals"] == figs.national.idp_individuals
    assert figs.share == pytest.approx(100.0)
    assert [r.pcode for r in figs.governorates] == ["IQG09", "IQG01", "IQG04"]  # largest first


def test_a_small_governorate_total_is_withheld_in_the_report(displacement):
    from amina.geo.models import Location

    loc = Location.objects.get(name_en="Hay Al-Tahrir 4")
    LocationAssessment.objects.filter(location=loc, round__code="R2").update(
        families=1, individuals=6
    )
    figs = figures.compute(figures.find_round("R2"), None)
    anbar = next(r for r in figs.governorates if r.pcode == "IQG01")
    assert anbar.now.idp_families == 4 and anbar.shown_families is None
    # and a second governorate is withheld with it, so the total does not give it away
    assert sum(r.shown_families is None for r in figs.governorates) >= 2
    html = rendering.render_html(figs, rendering.Narrative("t"), "en", for_pdf=False)
    assert "<5" in html or "&lt;5" in html


def pdf_text(path) -> str:
    """Text in logical (reading) order: poppler's pdftotext applies the bidi algorithm
    (pypdf returns right-to-left runs in visual order); embedding marks become spaces."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"],
        check=True,  # noqa: S603, S607
        capture_output=True,
    ).stdout.decode("utf-8")
    return " ".join(re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", " ", text).split())


def flash_pdf(tmp_path, language: str, pcode: str = "IQG04"):
    """The flash report of round R2 for one governorate, made by the command as a PDF in
    ``language`` (the path of the file)."""
    out = tmp_path / "flash.pdf"
    call_command(
        "report",
        "flash",
        "--round",
        "R2",
        "--governorate",
        pcode,
        "--lang",
        language,
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    return out


def headline_figures(pcode: str) -> tuple[str, str]:
    """The IDP individuals (grouped) and the share of the national total (one decimal) that
    the headline of ``pcode``'s report prints, counted independently of the report."""
    now = independent("R2", [pcode])
    return f"{now['individuals']:,}", f"{100 * now['individuals'] / now['national']:.1f}"


def test_its_arabic_pdf_is_valid_has_two_pages_and_reads_the_headline_in_order(
    displacement, tmp_path
):
    out = flash_pdf(tmp_path, "ar")
    reader = PdfReader(str(out))
    assert len(reader.pages) == 2
    assert "النجف" in reader.pages[0].extract_text()
    individuals, share = headline_figures("IQG04")
    # "تستضيف النجف 1,260 من النازحين، أي 14.9% من المجموع الوطني", word after word
    headline = (
        rf"تستضيف النجف {re.escape(individuals)} من النازحين ?، ?أي %?{re.escape(share)}%? "
        r"من المجموع الوطني"
    )
    assert re.search(headline, pdf_text(out)), pdf_text(out)[:300]


def test_its_english_html_names_the_places_and_the_narrative_parts(displacement, tmp_path):
    out = tmp_path / "flash.html"
    call_command(
        "report",
        "flash",
        "--round",
        "R2",
        "--governorate",
        "IQG09",
        "--lang",
        "en",
        "--title",
        "Duhok snapshot",
        "-o",
        str(out),
        stdout=io.StringIO(),
    )
    html = out.read_text(encoding="utf-8")
    assert 'dir="ltr"' in html and "Duhok snapshot" in html
    assert "5,500 IDPs in Duhok: " in html
    assert "<svg" in html and "<script" not in html


def test_a_shelter_type_unknown_to_the_round_is_not_listed(displacement):
    figs = figures.compute(figures.find_round("R2"), [Governorate.objects.get(pcode="IQG04")])
    used = set(AssessmentShelter.objects.values_list("shelter_type__code", flat=True))
    unused = ShelterType.objects.exclude(code__in=used).first()
    assert unused is not None, "the fixture must leave a shelter type unused"
    assert unused.name not in dict(figs.shelter)
    assert figs.shelter, "the used shelter types are listed"


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--round", "R9"], r"unknown round R9; the rounds are: .*R1, R2"),
        (["--round", "R2", "--governorate", "IQG99"], "unknown governorate 'IQG99'"),
        (["--round", "R2", "--governorate", "Atlantis"], "unknown governorate 'Atlantis'"),
    ],
)
def test_the_command_refuses_bad_input_in_one_line(displacement, tmp_path, args, reason):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match=reason):
        call_command("report", "flash", *args, "-o", str(out))
    assert not out.exists()


@pytest.mark.parametrize("name", ["Duhok", "دهوك", "IQ-DA", "IQG09", "Dahuk"])
def test_the_command_takes_any_name_the_gazetteer_knows_for_a_governorate(
    displacement, tmp_path, name
):
    out = tmp_path / "flash.html"
    stdout = io.StringIO()
    call_command(
        "report",
        "flash",
        "--round",
        "R2",
        "--governorate",
        name,
        "--lang",
        "en",
        "-o",
        str(out),
        stdout=stdout,
    )
    assert "IQG09" in stdout.getvalue()
    assert "5,500 IDPs in Duhok: " in out.read_text(encoding="utf-8")


def test_the_command_refuses_an_output_that_is_neither_pdf_nor_html(displacement, tmp_path):
    with pytest.raises(CommandError, match=r"must end in \.pdf or \.html"):
        call_command("report", "flash", "--round", "R2", "-o", str(tmp_path / "x.docx"))


def test_without_any_round_it_says_so(reference_geography, tmp_path):
    with pytest.raises(CommandError, match="no assessment round"):
        call_command("report", "flash", "-o", str(tmp_path / "x.pdf"))
