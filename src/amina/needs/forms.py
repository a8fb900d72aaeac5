"""The online needs-assessment form (phone-sized, Arabic or English)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from amina.lib.arabic import parse_number
from amina.lib.forms import Form
from amina.needs.models import Phase, Sector
from amina.needs.services import AssessmentData, Priority
from amina.needs.severity import SCALE


def severity_choices() -> list[tuple[str, str]]:
    return [("", _("not assessed"))] + [
        (str(level.value), f"{level.value} – {level.label}") for level in SCALE
    ]


class CountField(forms.IntegerField):
    """A whole number as people type it: "1,200", "١٬٢٠٠" or "١٢٠٠"."""

    def to_python(self, value):
        try:
            number = parse_number(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return number


class AssessmentForm(Form):
    location = forms.ModelChoiceField(queryset=None, label=_("Location"))
    assessed_on = forms.DateField(
        label=_("Date of assessment"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    team = forms.CharField(label=_("Team"), max_length=120)
    key_informants_count = CountField(
        label=_("Number of key informants"), min_value=0, max_value=200
    )
    key_informants_description = forms.CharField(
        label=_("Key informants (roles only)"),
        max_length=300,
        required=False,
        help_text=_("For example: mukhtar, school director. Do not write names."),
    )
    population_individuals = CountField(
        label=_("Population covered (individuals)"),
        min_value=0,
        required=False,
        help_text=_("Leave empty to use the location's latest displacement tracking figure."),
    )
    phase = forms.ModelChoiceField(
        queryset=Phase.objects.all(), required=False, label=_("MCOF phase")
    )
    access_constraints = forms.CharField(
        label=_("Access constraints"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = locations
        self.fields["location"].label_from_instance = lambda loc: (
            f"{loc.name} ({loc.governorate.name})"
        )
        self.sectors = list(Sector.objects.order_by("code"))
        for sector in self.sectors:
            self.fields[f"sev_{sector.code}"] = forms.TypedChoiceField(
                label=f"{sector.code}. {sector.name}",
                choices=severity_choices(),
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.Select(attrs={"class": "form-select", "data-sector": sector.code}),
            )
        ordinals = [_("First priority need"), _("Second priority need"), _("Third priority need")]
        for rank, label in enumerate(ordinals, start=1):
            self.fields[f"priority_{rank}"] = forms.ModelChoiceField(
                queryset=Sector.objects.order_by("code"),
                label=label,
                required=rank == 1,
                widget=forms.Select(attrs={"class": "form-select"}),
            )
            self.fields[f"priority_{rank}_text"] = forms.CharField(
                label=_("What exactly?"),
                max_length=200,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )

    def severity_fields(self):
        return [self[f"sev_{s.code}"] for s in self.sectors]

    def priority_fields(self):
        return [(self[f"priority_{r}"], self[f"priority_{r}_text"]) for r in (1, 2, 3)]

    def general_fields(self):
        return [
            self[n]
            for n in (
                "location",
                "assessed_on",
                "team",
                "key_informants_count",
                "key_informants_description",
                "population_individuals",
                "phase",
            )
        ]

    def to_data(self) -> AssessmentData:
        cd = self.cleaned_data
        priorities = []
        for rank in (1, 2, 3):
            if cd.get(f"priority_{rank}"):
                priorities.append(
                    Priority(cd[f"priority_{rank}"], cd.get(f"priority_{rank}_text", ""))
                )
        return AssessmentData(
            location=cd["location"],
            assessed_on=cd["assessed_on"],
            team=cd["team"],
            key_informants_count=cd["key_informants_count"],
            key_informants_description=cd.get("key_informants_description", ""),
            population_individuals=cd.get("population_individuals"),
            access_constraints=cd.get("access_constraints", ""),
            notes=cd.get("notes", ""),
            phase=cd.get("phase"),
            severities={
                s: cd[f"sev_{s.code}"] for s in self.sectors if cd.get(f"sev_{s.code}") is not None
            },
            priorities=priorities,
        )


class ImportForm(Form):
    file = forms.FileField(label=_("KoboToolbox or ODK export (CSV or XLSX)"))
