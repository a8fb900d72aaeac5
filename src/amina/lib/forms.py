"""Form bases that read numbers and dates as Arabic speakers type them.

Eastern Arabic digits ("١٢٣") and Arabic separators are accepted in every number and
date field of a form built on these bases, including the admin's.
"""

import re

from django import forms

from amina.lib.arabic import to_western_digits

_NUMERIC = (
    forms.IntegerField,
    forms.FloatField,
    forms.DecimalField,
    forms.DateField,
    forms.DateTimeField,
    forms.TimeField,
)


class NumberInput(forms.TextInput):
    """A text box with a numeric keyboard: ``type=number`` refuses Eastern Arabic digits."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "dir": "ltr", **(attrs or {})})


_GROUPED_WHOLE = re.compile(r"[+-]?\d{1,3}(,\d{3})+")


def _western(value, field):
    if not isinstance(value, str):
        return value
    value = to_western_digits(value).strip()
    if isinstance(field, forms.IntegerField) and _GROUPED_WHOLE.fullmatch(value):
        value = value.replace(",", "")  # "1,200" and "١٬٢٠٠" are whole numbers too
    return value


def _style(field) -> None:
    if isinstance(
        field, forms.IntegerField | forms.FloatField | forms.DecimalField
    ) and not isinstance(field.widget, NumberInput | forms.HiddenInput):
        field.widget = NumberInput(
            {k: v for k, v in field.widget.attrs.items() if k not in ("min", "max", "step")}
        )
    if isinstance(field.widget, forms.Select):
        field.widget.attrs.setdefault("class", "form-select")
    elif isinstance(field.widget, forms.CheckboxInput):
        field.widget.attrs.setdefault("class", "form-check-input")
    elif not isinstance(field.widget, forms.HiddenInput):
        field.widget.attrs.setdefault("class", "form-control")


class ArabicDigitsMixin:
    """Normalises digits when the form is cleaned and styles widgets when they are rendered,
    so fields that a subclass adds after ``__init__`` get both too."""

    def full_clean(self):
        if self.is_bound:
            data = self.data.copy()
            for name, field in self.fields.items():
                if not isinstance(field, _NUMERIC):
                    continue
                key = self.add_prefix(name)
                if hasattr(data, "getlist"):
                    values = data.getlist(key)
                    if values:
                        data.setlist(key, [_western(v, field) for v in values])
                elif key in data:
                    data[key] = _western(data[key], field)
            self.data = data
        super().full_clean()

    def __getitem__(self, name):
        _style(self.fields[name])
        return super().__getitem__(name)


class Form(ArabicDigitsMixin, forms.Form):
    pass


class ModelForm(ArabicDigitsMixin, forms.ModelForm):
    pass
