"""Forms of the reports pages (on the core bases: Eastern Arabic digits are accepted)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from amina.lib.forms import Form, ModelForm
from amina.reports.models import Language, Report, Schedule


class GovernorateChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return obj.name


class NewReportForm(Form):
    round_code = forms.ChoiceField(label=_("Round"))
    governorates = GovernorateChoices(
        queryset=None,
        required=False,
        label=_("Governorates"),
        help_text=_("Leave empty for the whole country (national users only)."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty for a title made from the round and places."),
    )

    def __init__(self, *args, rounds=(), governorates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round_code"].choices = [
            (r.code, f"{r.code} ({r.date:%Y-%m-%d})" if r.date else r.code) for r in rounds
        ]
        self.fields["governorates"].queryset = governorates
        self.fields["governorates"].widget.attrs.pop("class", None)


class NarrativeForm(ModelForm):
    class Meta:
        model = Report
        fields = ["title", "language", "story", "quotes", "contacts"]
        widgets = {
            "story": forms.Textarea(attrs={"rows": 6}),
            "quotes": forms.Textarea(attrs={"rows": 3}),
            "contacts": forms.Textarea(attrs={"rows": 3}),
        }


class ScheduleForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    governorates = GovernorateChoices(queryset=None, required=False, label=_("Governorates"))
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Schedule.Frequency.choices)
    recipients = forms.CharField(
        label=_("Recipients"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E-mail addresses, one per line or separated by commas."),
    )

    def __init__(self, *args, governorates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governorates"].queryset = governorates
        self.fields["governorates"].widget.attrs.pop("class", None)


class LibraryFilter(Form):
    governorate = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Governorate"), empty_label=_("All")
    )
    sector = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Sector"), empty_label=_("All")
    )
    kind = forms.ChoiceField(required=False, label=_("Kind"))
    since = forms.DateField(
        required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label=_("Until"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, governorates=None, sectors=None, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["governorate"].queryset = governorates
        self.fields["governorate"].label_from_instance = lambda gov: gov.name
        self.fields["sector"].queryset = sectors
        self.fields["kind"].choices = [("", _("All")), *kinds]
