"""Forms of the registry: registration (household, head, members formset), closing,
weights, imports. Built on ``amina.core.forms`` so Eastern Arabic digits are accepted."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amina.accounts import access
from amina.core import forms as base
from amina.geo.models import Governorate, Location
from amina.registry.models import Criterion, Household, Member
from amina.tracking.queries import shelter_types

DATE = forms.DateInput(attrs={"type": "date"})


def _arabic_name(label, *, required: bool = False) -> forms.CharField:
    """One part of a four-part Arabic name, typed right to left."""
    return forms.CharField(
        label=label,
        max_length=60,
        required=required,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )


class PersonForm(base.Form):
    """The fields a head of household and a member share."""

    first_name_ar = _arabic_name(_("First name"), required=True)
    father_name_ar = _arabic_name(_("Father's name"))
    grandfather_name_ar = _arabic_name(_("Grandfather's name"))
    family_name_ar = _arabic_name(_("Family name"))
    name_latin = forms.CharField(
        label=_("Name in Latin letters"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    sex = forms.ChoiceField(label=_("Sex"), choices=[("", "—"), *Member.Sex.choices])
    birth_date = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    birth_year = forms.IntegerField(label=_("or year of birth"), required=False, min_value=1900)
    document_type = forms.ChoiceField(
        label=_("Identity document"), choices=Member.Document.choices, required=False
    )
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
    )
    disability = forms.BooleanField(label=_("Disability"), required=False)
    chronic_illness = forms.BooleanField(label=_("Chronic illness"), required=False)

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        if year and year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth is in the future."))
        return year

    def clean_birth_date(self):
        when = self.cleaned_data.get("birth_date")
        if when and when > timezone.localdate():
            raise forms.ValidationError(_("The date of birth is in the future."))
        return when


class HeadForm(PersonForm):
    prefix = "head"


class MemberForm(PersonForm):
    relationship = forms.ChoiceField(
        label=_("Relationship to the head"),
        choices=[c for c in Member.Relationship.choices if c[0] != "head"],
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", "—"), *Member.Sex.choices], required=False
    )


MemberFormSet = forms.formset_factory(MemberForm, extra=1, can_delete=True, max_num=30)


class HouseholdForm(base.Form):
    location = forms.ModelChoiceField(label=_("Current location"), queryset=Location.objects.none())
    shelter = forms.ModelChoiceField(label=_("Shelter"), queryset=shelter_types(), required=False)
    origin_governorate = forms.ModelChoiceField(
        label=_("Governorate of origin"), queryset=Governorate.objects.all(), required=False
    )
    displacement_date = forms.DateField(
        label=_("Date of displacement"), required=False, widget=DATE
    )
    size = forms.IntegerField(label=_("Household size"), min_value=1, max_value=60)
    female_headed = forms.BooleanField(label=Criterion.FEMALE_HEADED.label, required=False)
    elderly_headed = forms.BooleanField(label=Criterion.ELDERLY_HEADED.label, required=False)
    child_headed = forms.BooleanField(label=Criterion.CHILD_HEADED.label, required=False)
    disability = forms.BooleanField(label=Criterion.DISABILITY.label, required=False)
    chronic_illness = forms.BooleanField(label=Criterion.CHRONIC_ILLNESS.label, required=False)
    pregnant_lactating = forms.BooleanField(
        label=Criterion.PREGNANT_LACTATING.label, required=False
    )
    unaccompanied_children = forms.BooleanField(
        label=Criterion.UNACCOMPANIED_CHILDREN.label, required=False
    )
    consent = forms.BooleanField(
        label=_(
            "The head of household agrees that these data are recorded and shared with "
            "the organisations that assist displaced families."
        )
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = (
            access.scoped(user, Location)
            .select_related("governorate")
            .order_by("governorate__pcode", "name_ar", "name_en")
        )
        self.fields["location"].label_from_instance = lambda loc: (
            f"{loc.name} — {loc.governorate.name}"
        )

    def clean_displacement_date(self):
        when = self.cleaned_data.get("displacement_date")
        if when and when > timezone.localdate():
            raise forms.ValidationError(_("The date of displacement is in the future."))
        return when


class CloseForm(base.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=Household.CloseReason.choices)


class WeightsForm(base.Form):
    def __init__(self, *args, weights: dict[str, int], **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in Criterion:
            self.fields[criterion.value] = forms.IntegerField(
                label=criterion.label,
                min_value=0,
                max_value=100,
                initial=weights.get(criterion.value, 0),
            )


class ImportForm(base.Form):
    file = forms.FileField(label=_("Registration file (XLSX, CSV or KoboToolbox/ODK export)"))
    members = forms.FileField(label=_("Members file (with a households CSV)"), required=False)


class SearchForm(base.Form):
    q = forms.CharField(label=_("Name, document number or phone"), max_length=100, required=False)
