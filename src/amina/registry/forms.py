"""Forms of the registry: registration (household, head, members formset), closing,
weights, imports. Built on ``amina.lib.forms`` so Eastern Arabic digits are accepted."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amina.accounts import access
from amina.geo.models import Governorate, Location
from amina.lib import forms as base
from amina.lib.arabic import to_western_digits
from amina.registry import names
from amina.registry.models import Criterion, Household, Member
from amina.tracking.queries import shelter_types

DATE = forms.DateInput(attrs={"type": "date"})

#: The oldest age a registration team can plausibly record; older is a typing mistake.
OLDEST_AGE = 110
#: More people than this under one head is not one household: register each family.
LARGEST_HOUSEHOLD = 30

# Arabic letters (with hamza forms, tatweel and the Persian/Kurdish letters Iraqi names
# use), spaces, hyphens and apostrophes; no digits, no Latin letters.
_ARABIC_NAME = re.compile(r"^[\u0621-\u064A\u0671-\u06D3\u0640\u064B-\u0652\s'’-]+$")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
_LATIN_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ\s'’.-]+$")


def iraqi_mobile(text: str) -> str:
    """An Iraqi mobile number in its one stored form, ``07XX XXX XXXX``, from any way it is
    typed: ``07701234567``, ``0770-123-4567``, ``+964 770 123 4567``, ``00964…``, with
    Eastern Arabic digits. Raises ``ValidationError`` for anything else."""
    raw = to_western_digits(text or "").strip()
    if re.search(r"[^0-9+\s().-]", raw):
        raise forms.ValidationError(
            _("A phone number has digits only (spaces, dashes and a leading + are fine).")
        )
    digits = names.phone_key(raw)  # the duplicate check's key: the same number, one way
    if not re.fullmatch(r"07\d{9}", digits):
        raise forms.ValidationError(
            _("Enter an Iraqi mobile number: 07XX XXX XXXX (11 digits) or +964 7XX XXX XXXX.")
        )
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}"


def _arabic_name(label, *, required: bool = False) -> forms.CharField:
    """One part of a four-part Arabic name, typed right to left, in Arabic letters."""
    return forms.CharField(
        label=label,
        max_length=60,
        required=required,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar", "autocomplete": "off"}),
    )


class PersonForm(base.Form):
    """The fields a head of household and a member share, checked as a registration team
    needs them checked: names in the script of their field, an Iraqi mobile number, a birth
    neither in the future nor more than 110 years ago."""

    ARABIC_NAMES = ("first_name_ar", "father_name_ar", "grandfather_name_ar", "family_name_ar")

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
        help_text=_("Iraqi mobile: 07XX XXX XXXX"),
        widget=forms.TextInput(
            attrs={"dir": "ltr", "inputmode": "tel", "placeholder": "07XX XXX XXXX"}
        ),
    )
    disability = forms.BooleanField(label=_("Disability"), required=False)
    chronic_illness = forms.BooleanField(label=_("Chronic illness"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].initial = Member.Document.NONE

    def clean(self):
        data = super().clean()
        for name in self.ARABIC_NAMES:
            value = (data.get(name) or "").strip()
            if value and not (_ARABIC_NAME.match(value) and _ARABIC_LETTER.search(value)):
                self.add_error(
                    name,
                    _(
                        "Write this name in Arabic letters only (no digits); the Latin "
                        "spelling has its own field, “Name in Latin letters”."
                    ),
                )
        latin = (data.get("name_latin") or "").strip()
        if latin and not _LATIN_NAME.match(latin):
            self.add_error(
                "name_latin",
                _("Write the Latin spelling in Latin letters only; the Arabic name has its own."),
            )
        return data

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        return iraqi_mobile(phone) if phone else ""

    def clean_birth_year(self):
        year = self.cleaned_data.get("birth_year")
        today = timezone.localdate()
        if year and year > today.year:
            raise forms.ValidationError(_("The year of birth is in the future."))
        if year and today.year - year > OLDEST_AGE:
            raise forms.ValidationError(
                _("Born in %(year)s, this person would be over %(age)s years old: check the year.")
                % {"year": year, "age": OLDEST_AGE}
            )
        return year

    def clean_birth_date(self):
        when = self.cleaned_data.get("birth_date")
        today = timezone.localdate()
        if when and when > today:
            raise forms.ValidationError(_("The date of birth is in the future."))
        if when and today.year - when.year > OLDEST_AGE:
            raise forms.ValidationError(
                _("Born in %(year)s, this person would be over %(age)s years old: check the year.")
                % {"year": when.year, "age": OLDEST_AGE}
            )
        return when

    def born(self) -> int | None:
        """The year of birth, from the date or the year (None when neither is known)."""
        data = getattr(self, "cleaned_data", None) or {}
        if data.get("birth_date"):
            return data["birth_date"].year
        return data.get("birth_year") or None


class HeadForm(PersonForm):
    prefix = "head"
    summary_label = _("Head of household")


class MemberForm(PersonForm):
    """One more member. A block left empty is no member: a man living alone is a household
    of one, and the form never makes him fill a member he does not have."""

    summary_label = _("Member %(n)s")
    relationship = forms.ChoiceField(
        label=_("Relationship to the head"),
        choices=[("", "—"), *[c for c in Member.Relationship.choices if c[0] != "head"]],
        error_messages={"required": _("Choose how this person is related to the head.")},
    )
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", "—"), *Member.Sex.choices], required=False
    )


class BaseMemberFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if self.total_form_count() - len(self.deleted_forms) > LARGEST_HOUSEHOLD:
            raise forms.ValidationError(
                _("A household has at most %(n)s people: register each family of the group apart.")
                % {"n": LARGEST_HOUSEHOLD}
            )


MemberFormSet = forms.formset_factory(
    MemberForm,
    formset=BaseMemberFormSet,
    extra=0,
    can_delete=True,
    max_num=LARGEST_HOUSEHOLD,
    validate_max=True,
)


def members_entered(members) -> list[dict]:
    """The members a valid formset holds: not removed, with a first name."""
    return [
        f.cleaned_data
        for f in members.forms
        if f.cleaned_data
        and not f.cleaned_data.get("DELETE")
        and f.cleaned_data.get("first_name_ar")
    ]


def check_household(form, head, members) -> bool:
    """Plausibility across the forms, each problem on the field to fix: the size against
    the people listed, a child born before the head or a parent after. True if none."""
    ok = True
    people = 1 + len(members_entered(members))
    size = form.cleaned_data.get("size")
    if size and size < people:
        form.add_error(
            "size",
            _("The household size is %(size)s but %(people)s people are listed: correct one.")
            % {"size": size, "people": people},
        )
        ok = False
    head_born = head.born()
    if head_born is None:
        return ok
    for member in members.forms:
        data = member.cleaned_data or {}
        if not data.get("first_name_ar") or data.get("DELETE"):
            continue
        born = member.born()
        if born is None:
            continue
        field = "birth_date" if data.get("birth_date") else "birth_year"
        relation = data.get("relationship")
        if relation in ("child", "grandchild") and born <= head_born:
            member.add_error(
                field,
                _(
                    "Born in %(born)s, this son, daughter or grandchild is not younger than "
                    "the head (born in %(head)s): check both years."
                )
                % {"born": born, "head": head_born},
            )
            ok = False
        elif relation == "parent" and born >= head_born:
            member.add_error(
                field,
                _(
                    "Born in %(born)s, this parent is not older than the head (born in "
                    "%(head)s): check both years."
                )
                % {"born": born, "head": head_born},
            )
            ok = False
    return ok


class HouseholdForm(base.Form):
    location = forms.ModelChoiceField(label=_("Current location"), queryset=Location.objects.none())
    shelter = forms.ModelChoiceField(label=_("Shelter"), queryset=shelter_types(), required=False)
    origin_governorate = forms.ModelChoiceField(
        label=_("Governorate of origin"), queryset=Governorate.objects.all(), required=False
    )
    displacement_date = forms.DateField(
        label=_("Date of displacement"), required=False, widget=DATE
    )
    size = forms.IntegerField(
        label=_("Household size"),
        min_value=1,
        help_text=_("Everyone who lives and eats together, the head included."),
    )
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

    def clean_size(self):
        size = self.cleaned_data.get("size")
        if size and size > LARGEST_HOUSEHOLD:
            raise forms.ValidationError(
                _(
                    "%(size)s people is not one household: a household has at most %(n)s. "
                    "Register each family of the group apart."
                )
                % {"size": size, "n": LARGEST_HOUSEHOLD}
            )
        return size

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
