"""Forms of displacement tracking: the field assessment (phone-first), movements, imports."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from amina.geo.models import Governorate, Location
from amina.lib.forms import Form, ModelForm
from amina.tracking.models import AlertRule, DisplacementPeriod, MovementEvent, Round, ShelterType


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs={"dir": "ltr", **(attrs or {})}, format="%Y-%m-%d")


class LocationChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        district = obj.district.name if obj.district else obj.governorate.name
        return f"{obj.name} — {district}"


class AssessmentForm(Form):
    """One location's figures for a round; the location is picked or created by coordinates."""

    round = forms.ModelChoiceField(Round.objects.none(), label=_("Round"))
    location = LocationChoice(
        Location.objects.none(),
        label=_("Location"),
        required=False,
        empty_label=_("— a new location —"),
    )
    new_name_en = forms.CharField(
        label=_("New location: name in English"), max_length=120, required=False
    )
    new_name_ar = forms.CharField(
        label=_("New location: name in Arabic"), max_length=120, required=False
    )
    new_kind = forms.ChoiceField(
        label=_("Kind of location"),
        choices=Location.Kind.choices,
        required=False,
        initial=Location.Kind.VILLAGE,
    )
    latitude = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    longitude = forms.FloatField(
        label=_("Longitude"), required=False, min_value=-180, max_value=180
    )
    date = forms.DateField(label=_("Date of assessment"), widget=DateInput())
    key_informant = forms.CharField(
        label=_("Key informant (role, not name)"), max_length=120, required=False
    )
    families = forms.IntegerField(label=_("IDP families"), min_value=0)
    individuals = forms.IntegerField(
        label=_("IDP individuals"),
        min_value=0,
        required=False,
        help_text=_("Leave empty to estimate from families × the round's multiplier."),
    )
    returnee_families = forms.IntegerField(
        label=_("Returnee families"), min_value=0, initial=0, required=False
    )
    returnee_individuals = forms.IntegerField(
        label=_("Returnee individuals"), min_value=0, required=False
    )
    partial = forms.BooleanField(label=_("The breakdowns are partial"), required=False)

    def __init__(self, *args, locations=None, **kwargs):
        self.governorates = list(Governorate.objects.order_by("pcode"))
        self.shelter_types = list(ShelterType.objects.all())
        self.periods = list(DisplacementPeriod.objects.all())
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.order_by("-date", "-pk")
        self.fields["location"].queryset = (
            locations if locations is not None else Location.objects.none()
        ).select_related("district", "governorate")
        for gov in self.governorates:
            self.fields[f"origin_{gov.pcode}"] = forms.IntegerField(
                label=gov.name, min_value=0, required=False
            )
        for shelter in self.shelter_types:
            self.fields[f"shelter_{shelter.code}"] = forms.IntegerField(
                label=shelter.name, min_value=0, required=False
            )
        for period in self.periods:
            self.fields[f"period_{period.code}"] = forms.IntegerField(
                label=period.name, min_value=0, required=False
            )
        # The mixin set the widgets before these fields existed: give them the same.
        from amina.lib.forms import NumberInput

        for name, field in self.fields.items():
            if name.startswith(("origin_", "shelter_", "period_")):
                field.widget = NumberInput({"class": "form-control form-control-sm"})
        if self.is_bound:
            from amina.lib.arabic import to_western_digits

            data = self.data.copy()
            for name in self.fields:
                if name.startswith(("origin_", "shelter_", "period_")) and name in data:
                    data[name] = to_western_digits(str(data[name]))
            self.data = data

    def group(self, prefix: str):
        return [self[name] for name in self.fields if name.startswith(prefix)]

    def origin_fields(self):
        return self.group("origin_")

    def shelter_fields(self):
        return self.group("shelter_")

    def period_fields(self):
        return self.group("period_")

    def clean(self):
        data = super().clean()
        if not data.get("location"):
            missing = [
                f for f in ("new_name_en", "latitude", "longitude") if data.get(f) in (None, "")
            ]
            for name in missing:
                self.add_error(
                    name, _("Pick a location, or give the new location's name and coordinates.")
                )
        return data

    def breakdowns(self) -> tuple[dict[int, int], dict[str, int], dict[str, int]]:
        d = self.cleaned_data
        origins = {g.pk: d.get(f"origin_{g.pcode}") or 0 for g in self.governorates}
        shelters = {s.code: d.get(f"shelter_{s.code}") or 0 for s in self.shelter_types}
        periods = {p.code: d.get(f"period_{p.code}") or 0 for p in self.periods}
        return (
            {k: v for k, v in origins.items() if v},
            {k: v for k, v in shelters.items() if v},
            {k: v for k, v in periods.items() if v},
        )


class MovementForm(Form):
    location = LocationChoice(Location.objects.none(), label=_("Location"))
    date = forms.DateField(label=_("Date"), widget=DateInput())
    direction = forms.ChoiceField(label=_("Movement"), choices=MovementEvent.Direction.choices)
    families = forms.IntegerField(label=_("Families"), min_value=1)
    individuals = forms.IntegerField(
        label=_("Individuals"),
        min_value=1,
        required=False,
        help_text=_("Leave empty to estimate from families."),
    )
    origin = forms.ModelChoiceField(
        Governorate.objects.order_by("pcode"), required=False, label=_("From governorate")
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].label_from_instance = lambda gov: gov.name
        self.fields["location"].queryset = (
            locations if locations is not None else Location.objects.none()
        ).select_related("district", "governorate")


class DtmUploadForm(Form):
    file = forms.FileField(label=_("DTM master list (CSV or XLSX)"))
    round_code = forms.SlugField(
        label=_("Round code"),
        max_length=40,
        required=False,
        help_text=_("For example R64; empty: read from the file name."),
    )
    round_date = forms.DateField(
        label=_("Round date"),
        required=False,
        widget=DateInput(),
        help_text=_("Needed for a new round unless the file's title gives it."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Round.Kind.choices, initial="idps")
    multiplier = forms.DecimalField(
        label=_("Individuals per family"),
        max_digits=4,
        decimal_places=2,
        required=False,
        min_value=1,
    )
    camp_multiplier = forms.DecimalField(
        label=_("Individuals per family in camps"),
        max_digits=4,
        decimal_places=2,
        required=False,
        min_value=1,
    )


class AlertRuleForm(ModelForm):
    class Meta:
        model = AlertRule
        fields = ["name", "governorate", "location", "mode", "threshold", "period_days", "active"]

    def __init__(self, *args, governorates=None, locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if governorates is not None:
            self.fields["governorate"].queryset = governorates
        self.fields["governorate"].label_from_instance = lambda gov: gov.name
        if locations is not None:
            self.fields["location"].queryset = locations.select_related("governorate")
