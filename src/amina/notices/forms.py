from django import forms
from django.utils.translation import gettext_lazy as _

from amina.lib.forms import Form


class PreferencesForm(Form):
    """Two checkboxes per kind, built from the kinds users can choose."""

    def __init__(self, *args, kinds=(), initial_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_choices = initial_choices or {}
        for kind, label in kinds:
            in_app, email = initial_choices.get(kind, (True, True))
            self.fields[f"{kind}__app"] = forms.BooleanField(
                required=False, initial=in_app, label=_("%(kind)s in the app") % {"kind": label}
            )
            self.fields[f"{kind}__email"] = forms.BooleanField(
                required=False, initial=email, label=_("%(kind)s by e-mail") % {"kind": label}
            )
        self.kinds = [k for k, _label in kinds]

    def choices(self) -> dict:
        return {
            k: (self.cleaned_data[f"{k}__app"], self.cleaned_data[f"{k}__email"])
            for k in self.kinds
        }
