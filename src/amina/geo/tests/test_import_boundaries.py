"""Official boundaries: a COD GeoJSON gives places their polygons, all or nothing."""

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from amina.audit.models import ChangeLog
from amina.geo.models import District, Governorate
from amina.geo.services import import_boundaries


def square(lon, lat, size=0.5):
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write(tmp_path, data, name="bounds.geojson") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


@pytest.fixture
def small_file(tmp_path, reference_geography):
    return write(
        tmp_path,
        {
            "type": "FeatureCollection",
            "features": [
                feature({"ADM1_PCODE": "IQG04", "ADM1_EN": "Al-Najaf"}, square(43.5, 31.0)),
                feature(
                    {"ADM1_PCODE": "IQG09", "ADM1_EN": "Duhok"},
                    {"type": "MultiPolygon", "coordinates": [square(43.0, 36.8)["coordinates"]]},
                ),
                feature({"ADM1_PCODE": "IQG04", "ADM2_PCODE": "IQG04Q01"}, square(43.6, 31.1, 0.2)),
            ],
        },
    )


def test_a_small_cod_file_gives_two_governorates_and_a_district_their_polygons(
    small_file, admin_user
):
    counts = import_boundaries(admin_user, small_file)
    assert counts == {"governorate": 2, "district": 1}
    najaf = Governorate.objects.get(pcode="IQG04")
    assert najaf.boundary["type"] == "Polygon"
    assert najaf.boundary["coordinates"][0][0] == [43.5, 31.0]
    assert Governorate.objects.get(pcode="IQG09").boundary["type"] == "MultiPolygon"
    assert District.objects.get(pcode="IQG04Q01").boundary is not None
    assert Governorate.objects.filter(outline__isnull=False).count() == 2
    log = ChangeLog.objects.get(action="import")
    assert log.actor_name == "admin1" and log.diff["governorate"] == 2


def test_an_unknown_pcode_names_the_feature_and_writes_nothing(tmp_path, reference_geography):
    path = write(
        tmp_path,
        {
            "type": "FeatureCollection",
            "features": [
                feature({"ADM1_PCODE": "IQG04"}, square(43.5, 31.0)),
                feature({"ADM1_PCODE": "IQG99", "ADM1_EN": "Nowhere"}, square(40.0, 30.0)),
            ],
        },
    )
    with pytest.raises(ValidationError) as exc:
        import_boundaries(None, path)
    assert exc.value.messages == [
        "feature 2: ADM1_PCODE 'IQG99' is not a known governorate; add it first"
    ]
    assert not Governorate.objects.filter(outline__isnull=False).exists()
    assert not ChangeLog.objects.filter(action="import").exists()


def test_a_feature_without_a_polygon_is_refused(tmp_path, reference_geography):
    path = write(
        tmp_path,
        {
            "type": "FeatureCollection",
            "features": [
                feature({"ADM1_PCODE": "IQG04"}, {"type": "Point", "coordinates": [43.5, 31.0]}),
                feature({"NAME": "x"}, square(43.5, 31.0)),
            ],
        },
    )
    with pytest.raises(ValidationError) as exc:
        import_boundaries(None, path)
    assert exc.value.messages == [
        "feature 1 (IQG04): geometry must be a Polygon or MultiPolygon",
        "feature 2: no ADM1_PCODE or ADM2_PCODE property",
    ]


@pytest.mark.parametrize(
    "content,message",
    [
        ("this is not json", "is not GeoJSON: it is not valid JSON (line 1, column 1)"),
        ('{"type": "Feature"}', "is not a GeoJSON FeatureCollection"),
        ("[1, 2]", "is not a GeoJSON FeatureCollection"),
        ('{"type": "FeatureCollection", "features": []}', "has no features"),
        ("", "is not GeoJSON"),
    ],
)
def test_a_file_that_is_not_geojson_or_is_empty_is_refused(
    tmp_path, reference_geography, content, message
):
    with pytest.raises(ValidationError) as exc:
        import_boundaries(None, write(tmp_path, content))
    assert message in exc.value.messages[0]


def test_the_command_imports_and_reports_in_one_line(small_file, capsys):
    call_command("import", "boundaries", str(small_file))
    assert "2 governorates, 1 districts" in capsys.readouterr().out


def test_the_command_fails_with_the_reason_and_writes_nothing(tmp_path, reference_geography):
    path = write(
        tmp_path,
        {
            "type": "FeatureCollection",
            "features": [feature({"ADM2_PCODE": "IQG04Q77"}, square(43.5, 31.0))],
        },
    )
    with pytest.raises(
        CommandError, match="feature 1: ADM2_PCODE 'IQG04Q77' is not a known district"
    ):
        call_command("import", "boundaries", str(path))
    assert not District.objects.filter(outline__isnull=False).exists()


def _cod_dir() -> Path | None:
    here = Path(__file__).resolve()
    for candidate in (
        Path("/work/shared/data/cod-ab-iraq"),
        here.parents[4].parent / "shared" / "data" / "cod-ab-iraq",
    ):
        if (candidate / "irq_admbnda_adm1_cso_20190603.geojson").exists():
            return candidate
    return None


def test_the_official_cod_files_give_all_18_governorates_and_101_districts(reference_geography):
    folder = _cod_dir()
    if folder is None:
        pytest.skip("the OCHA COD-AB files are not available (../shared/data/cod-ab-iraq)")
    assert import_boundaries(None, folder / "irq_admbnda_adm1_cso_20190603.geojson") == {
        "governorate": 18,
        "district": 0,
    }
    assert import_boundaries(None, folder / "irq_admbnda_adm2_cso_20190603.geojson") == {
        "governorate": 0,
        "district": 101,
    }
    assert Governorate.objects.filter(outline__isnull=True).count() == 0
    assert District.objects.filter(outline__isnull=True).count() == 0


def test_an_admin_uploads_boundaries_and_a_job_imports_them(
    client, admin_user, small_file, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amina.jobs.models import Job
    from amina.jobs.services import execute

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(admin_user)
    upload = SimpleUploadedFile("irq_adm1.geojson", small_file.read_bytes())
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post("/geo/boundaries/", {"file": upload})
    job = Job.objects.get(kind="boundaries")
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert job.label == "Boundaries from irq_adm1.geojson" and job.created_by == admin_user
    job = execute(job)
    assert job.status == "succeeded" and job.result["governorates"] == 2
    assert Governorate.objects.filter(outline__isnull=False).count() == 2


def test_an_upload_that_is_not_geojson_is_refused_on_the_form(client, admin_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    response = client.post("/geo/boundaries/", {"file": SimpleUploadedFile("a.xlsx", b"PK")})
    assert response.context["form"].errors["file"] == ["Choose a .geojson file."]
