"""`amina user add`: a user with a role and scope from the command line, or a one-line refusal."""

import io

import pytest
from django.core.management import CommandError, call_command

from amina.accounts.models import User
from amina.audit.models import ChangeLog
from amina.lib.testing.processes import migrated_installation, run_amina

GOOD = "a-long-passphrase-2015"


@pytest.fixture(autouse=True)
def no_password_in_env(monkeypatch):
    monkeypatch.delenv("AMINA_PASSWORD", raising=False)


def test_it_creates_an_officer_with_the_password_from_the_environment(
    reference_geography, monkeypatch, capsys
):
    monkeypatch.setenv("AMINA_PASSWORD", GOOD)
    call_command(
        "user",
        "add",
        "hassan",
        "--role",
        "governorate",
        "--governorate",
        "IQG04",
        "--governorate",
        "Kerbala",
        "--personal-data",
    )
    user = User.objects.get(username="hassan")
    assert user.role == "governorate" and not user.national_scope
    assert sorted(user.governorates.values_list("pcode", flat=True)) == ["IQG04", "IQG12"]
    assert user.can_view_personal_data and user.check_password(GOOD)
    assert "created user hassan (governorate; scope: IQG04, IQG12)" in capsys.readouterr().out
    assert ChangeLog.objects.filter(
        model="accounts.user", object_id=str(user.pk), action="create"
    ).exists()


def test_it_reads_the_password_from_standard_input(reference_geography):
    from amina.accounts.models import Organisation

    Organisation.objects.create(
        name_en="Ministry of Migration and Displacement", acronym="MoMD", kind="ministry"
    )
    call_command(
        "user",
        "add",
        "layla",
        "--role",
        "national",
        "--organisation",
        "momd",
        stdin=io.StringIO(GOOD + "\n"),
        stdout=io.StringIO(),
    )
    user = User.objects.get(username="layla")
    assert user.national_scope and user.organisation.acronym == "MoMD"
    assert user.check_password(GOOD)


@pytest.mark.parametrize(
    "args,reason",
    [
        (["--role", "king"], "unknown role 'king'; choose one of admin, national"),
        (["--role", "governorate", "--governorate", "Atlantis"], "unknown governorate 'Atlantis'"),
        (["--role", "governorate", "--governorate", "Kerbalaa"], "did you mean Kerbala (IQG12)?"),
        (["--role", "governorate"], "a governorate user needs at least one governorate"),
        (["--role", "partner", "--organisation", "Nobody"], "unknown organisation 'Nobody'"),
    ],
)
def test_a_bad_role_governorate_or_organisation_is_refused_and_creates_nothing(
    reference_geography, monkeypatch, args, reason
):
    monkeypatch.setenv("AMINA_PASSWORD", GOOD)
    with pytest.raises(CommandError) as exc:
        call_command("user", "add", "omar", *args)
    assert reason in str(exc.value) and "\n" not in str(exc.value)
    assert not User.objects.filter(username="omar").exists()
    assert not ChangeLog.objects.filter(model="accounts.user").exists()


@pytest.mark.parametrize(
    "password,reason",
    [
        ("short", "too short"),
        ("1234567890123", "entirely numeric"),
        ("password1234", "too common"),
    ],
)
def test_a_weak_password_is_refused_and_creates_nothing(
    reference_geography, monkeypatch, password, reason
):
    monkeypatch.setenv("AMINA_PASSWORD", password)
    with pytest.raises(CommandError, match=reason):
        call_command("user", "add", "omar", "--role", "national")
    assert not User.objects.filter(username="omar").exists()


def test_a_duplicate_username_is_refused(reference_geography, national_user, monkeypatch):
    monkeypatch.setenv("AMINA_PASSWORD", GOOD)
    with pytest.raises(CommandError, match="a user named 'NATIONAL1' already exists"):
        call_command("user", "add", "NATIONAL1", "--role", "national")


def test_no_password_at_all_is_refused(reference_geography):
    with pytest.raises(CommandError, match="no password: set AMINA_PASSWORD"):
        call_command("user", "add", "omar", "--role", "national", stdin=io.StringIO(""))


def test_the_console_script_adds_a_user_and_refuses_a_bad_one_in_one_line(
    tmp_path_factory, tmp_path
):
    var = migrated_installation(tmp_path_factory, tmp_path / "var")
    ok = run_amina(
        ["user", "add", "zainab", "--role", "field", "--governorate", "النجف"],
        var,
        input=GOOD + "\n",
    )
    assert ok.returncode == 0, ok.stderr
    assert "created user zainab (field; scope: IQG04)" in ok.stdout
    bad = run_amina(
        ["user", "add", "yusuf", "--role", "field", "--governorate", "Najaf"],
        var,
        AMINA_PASSWORD="short",
    )
    assert bad.returncode == 1
    lines = bad.stderr.strip().splitlines()
    assert len(lines) == 1 and "too short" in lines[0], bad.stderr
    check = run_amina(
        [
            "shell",
            "--no-imports",
            "-c",
            "from amina.accounts.models import User;"
            "print(sorted(User.objects.values_list('username', flat=True)))",
        ],
        var,
    )
    assert check.stdout.strip().splitlines()[-1] == "['zainab']"
