"""``amina import activities FILE`` and ``amina export activities|trainings|meetings``.

The CLI runs with the powers of the system (no user): imports are audited as "system".
"""

from pathlib import Path

from django.core.exceptions import ValidationError

from amina.coordination import exports
from amina.coordination.models import Activity, Meeting, Training
from amina.geo.gazetteer import Gazetteer
from amina.lib.commands import SubCommand
from amina.lib.tabular import ImportFailed


def _import_args(parser):
    parser.add_argument("file", type=Path, help="4W sheet: CSV or XLSX, with or without HXL tags")


class _System:
    """The importing actor on the command line: national scope, a coordinator."""

    pk = None
    is_authenticated = True
    is_active = True
    is_superuser = True
    national_scope = True
    role = "admin"
    organisation_id = None

    def get_username(self) -> str:
        return "system"


def _import(options, stdout):
    from amina.coordination.services.imports import import_activities

    try:
        result = import_activities(_System(), options["file"])
    except ImportFailed as exc:
        lines = [str(p) for p in exc.report.errors]
        raise ValidationError([f"{len(lines)} problem(s), nothing imported"] + lines) from None
    how = "HXL hashtags" if result.hxl else "header names"
    return (
        f"imported {result.total} activities ({result.created} new, {result.updated} "
        f"updated), columns matched by {how}"
    )


def _governorates(options):
    codes = options.get("governorate") or []
    if not codes:
        return None
    gazetteer = Gazetteer()
    ids = []
    for code in codes:
        res = gazetteer.governorate(code)
        if not res.ok:
            raise ValidationError(res.reason("governorate"))
        ids.append(res.place.pk)
    return ids


def _no_args(parser):
    pass


def _export_activities(options, stdout):
    qs = Activity.objects.all()
    if (ids := _governorates(options)) is not None:
        qs = qs.filter(governorate_id__in=ids)
    return exports.activity_table(qs, options["format"])


def _export_trainings(options, stdout):
    qs = Training.objects.all()
    if (ids := _governorates(options)) is not None:
        qs = qs.filter(governorate_id__in=ids)
    return exports.training_table(qs, options["format"])


def _export_meetings(options, stdout):
    qs = Meeting.objects.all()
    if (ids := _governorates(options)) is not None:
        qs = qs.filter(governorate_id__in=ids)
    return exports.meeting_table(qs, options["format"])


IMPORTS = {
    "activities": SubCommand(
        "4W activities (CSV or XLSX, HXL-tagged or not)", _import_args, _import
    ),
}
EXPORTS = {
    "activities": SubCommand(
        "4W activities (who does what, where, when)", _no_args, _export_activities
    ),
    "trainings": SubCommand(
        "trainings with participant counts and learning gain", _no_args, _export_trainings
    ),
    "meetings": SubCommand(
        "coordination meetings and their action points", _no_args, _export_meetings
    ),
}
