"""Forms of coordination; choices offered are limited to what the user may act on."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amina.accounts import access
from amina.accounts.models import Organisation, User
from amina.coordination.models import (
    Activity,
    Contact,
    Meeting,
    Objective,
    Participant,
    ResponsePlan,
    Target,
    Training,
)
from amina.geo.models import District, Location
from amina.lib.forms import Form, ModelForm

DATE = forms.DateInput(attrs={"type": "date"})


def _place_name(place) -> str:
    """Places are offered in the page's language (their ``__str__`` is the English name)."""
    return place.name


def _scope_governorates(form, user, field="governorate"):
    if field in form.fields:
        form.fields[field].queryset = access.governorates_in_scope(user)
        form.fields[field].label_from_instance = _place_name


class ActivityForm(ModelForm):
    class Meta:
        model = Activity
        fields = [
            "organisation",
            "sector",
            "activity_type",
            "description",
            "governorate",
            "district",
            "location",
            "start_date",
            "end_date",
            "status",
            "girls",
            "boys",
            "women",
            "men",
            "elderly_women",
            "elderly_men",
            "female_other",
            "male_other",
            "reached_other",
            "distribution_ref",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "description": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_governorates(self, user)
        if not access.for_any_organisation(user, "activity.report"):
            self.fields["organisation"].queryset = Organisation.objects.filter(
                pk=user.organisation_id
            )
            self.fields["organisation"].initial = user.organisation_id
        govs = access.governorates_in_scope(user)
        self.fields["district"].queryset = District.objects.filter(governorate__in=govs)
        self.fields["district"].label_from_instance = _place_name
        # Locations are detail-level: partners name the district; coordinators the place.
        self.fields["location"].queryset = access.scoped(user, Location).select_related(
            "governorate"
        )
        if not access.sees_detail(user):
            del self.fields["location"]


class ActivityFilterForm(Form):
    governorate = forms.ModelChoiceField(queryset=None, required=False, label=_("Governorate"))
    sector = forms.ModelChoiceField(queryset=None, required=False, label=_("MCOF sector"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, label=_("Organisation")
    )
    status = forms.ChoiceField(
        choices=[("", "—"), *Activity.Status.choices], required=False, label=_("Status")
    )
    active_on = forms.DateField(required=False, label=_("Present on"), widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        from amina.needs.queries import sectors

        super().__init__(*args, **kwargs)
        _scope_governorates(self, user)
        self.fields["sector"].queryset = sectors()

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        for name in ("governorate", "sector", "organisation"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("status"):
            qs = qs.filter(status=data["status"])
        if day := data.get("active_on"):
            from django.db.models import Q

            qs = qs.filter(start_date__lte=day).filter(
                Q(end_date__isnull=True) | Q(end_date__gte=day)
            )
        return qs


class UploadForm(Form):
    file = forms.FileField(label=_("4W spreadsheet (XLSX or CSV, HXL tags optional)"))


class PlanForm(ModelForm):
    class Meta:
        model = ResponsePlan
        fields = ["title", "governorate", "start_date", "end_date"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_governorates(self, user)
        if not access.has_national_scope(user):
            self.fields["governorate"].required = True


class ObjectiveForm(ModelForm):
    class Meta:
        model = Objective
        fields = ["phase", "sector", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class TargetForm(ModelForm):
    class Meta:
        model = Target
        fields = [
            "objective",
            "sector",
            "governorate",
            "measure",
            "quantity",
            "deadline",
            "lead",
            "partners",
        ]
        widgets = {"deadline": DATE, "partners": forms.SelectMultiple(attrs={"size": 4})}

    def __init__(self, *args, user=None, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_governorates(self, user)
        if plan is not None:
            self.fields["objective"].queryset = plan.objectives.all()
            if plan.governorate_id:
                self.fields["governorate"].initial = plan.governorate_id


class MeetingForm(ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "date",
            "governorate",
            "place",
            "chair",
            "agenda",
            "decisions",
            "attendees",
            "organisations",
            "other_attendees",
        ]
        widgets = {
            "date": DATE,
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 4}),
            "other_attendees": forms.Textarea(attrs={"rows": 3}),
            "attendees": forms.SelectMultiple(attrs={"size": 6}),
            "organisations": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_governorates(self, user)
        self.fields["attendees"].queryset = User.objects.filter(is_active=True).order_by("username")
        if not access.has_national_scope(user):
            self.fields["governorate"].required = True


class ActionPointForm(Form):
    text = forms.CharField(label=_("Action"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("username"), label=_("Owner")
    )
    due_date = forms.DateField(label=_("Due date"), widget=DATE)


class ContactForm(ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "organisation", "governorate", "sectors", "phone", "email"]
        widgets = {"sectors": forms.SelectMultiple(attrs={"size": 5})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_governorates(self, user)
        if not access.has_national_scope(user):
            self.fields["governorate"].required = True


class TrainingForm(ModelForm):
    class Meta:
        model = Training
        fields = [
            "title",
            "title_ar",
            "start_date",
            "end_date",
            "place",
            "governorate",
            "organiser",
            "sectors",
            "topics",
            "trainers",
            "max_score",
        ]
        widgets = {
            "start_date": DATE,
            "end_date": DATE,
            "topics": forms.Textarea(attrs={"rows": 3}),
            "trainers": forms.Textarea(attrs={"rows": 2}),
            "sectors": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _scope_governorates(self, user)


class ParticipantForm(ModelForm):
    class Meta:
        model = Participant
        fields = [
            "name",
            "name_ar",
            "title",
            "organisation",
            "governorate",
            "sex",
            "pre_score",
            "post_score",
        ]

    def __init__(self, *args, **kwargs):
        from amina.geo.models import Governorate

        super().__init__(*args, **kwargs)
        # An official may come from any governorate to a training held in another.
        self.fields["governorate"].queryset = Governorate.objects.all()
        self.fields["governorate"].label_from_instance = _place_name

    def clean(self):
        data = super().clean()
        if not data.get("name") and not data.get("name_ar"):
            raise forms.ValidationError(_("Give the name in English or in Arabic."))
        return data
