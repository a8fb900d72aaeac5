"""Form bases that read numbers and dates as Arabic speakers type them.

Eastern Arabic digits ("١٢٣") and Arabic separators are accepted in every number and
date field of a form built on these bases, including the admin's.
"""

from django import forms

from amina.core.arabic import to_western_digits

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


class ArabicDigitsMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            data = self.data.copy()
            for name, field in self.fields.items():
                if isinstance(field, _NUMERIC):
                    key = self.add_prefix(name)
                    if hasattr(data, "getlist"):
                        values = data.getlist(key)
                        if values:
                            data.setlist(key, [to_western_digits(v) for v in values])
                    elif isinstance(data.get(key), str):
                        data[key] = to_western_digits(data[key])
            self.data = data
        for field in self.fields.values():
            if isinstance(field, forms.IntegerField | forms.FloatField | forms.DecimalField):
                field.widget = NumberInput(
                    {k: v for k, v in field.widget.attrs.items() if k not in ("min", "max", "step")}
                )
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            elif isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            else:
                field.widget.attrs.setdefault("class", "form-control")


class Form(ArabicDigitsMixin, forms.Form):
    pass


class ModelForm(ArabicDigitsMixin, forms.ModelForm):
    pass
