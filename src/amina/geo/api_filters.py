"""The governorate filter of the API lists: a governorate by any spelling the gazetteer
knows. It lives in geo because it reads the gazetteer; the generic filters are in
``amina.lib.api_filters``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from amina.geo.models import Governorate


class GovernorateField(forms.CharField):
    """A governorate by any spelling the gazetteer knows: p-code (``IQG04``), 2014 p-code,
    ISO code (``IQ-NA``), English or Arabic name, alias."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        gov = Governorate.objects.filter(pcode__iexact=value).first()
        if gov is not None:
            return gov
        from django.core.exceptions import ValidationError

        from amina.geo.gazetteer import resolve_governorates

        try:
            return resolve_governorates([value])[0]
        except ValidationError as exc:
            raise forms.ValidationError(
                # the message quotes the value given, which may hold a "%"
                [forms.ValidationError(m.replace("%", "%%"), code="unknown") for m in exc.messages]
            ) from None


class GovernorateFilter(filters.CharFilter):
    """Rows of one governorate; ``field_name`` is the path to the governorate foreign key."""

    field_class = GovernorateField

    def __init__(self, field_name="governorate", **kwargs):
        kwargs.setdefault(
            "help_text",
            _("governorate: p-code (IQG04), ISO code (IQ-NA) or name, in English or Arabic"),
        )
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, qs, value):
        if value is None:
            return qs
        return qs.filter(**{self.field_name: value})
