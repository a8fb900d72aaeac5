"""Filters of the API lists: declared once per resource as a django-filter ``FilterSet``.

``DjangoFilterBackend`` (the default filter backend) validates them and answers a bad value
with 400 naming the parameter; drf-spectacular documents them from the same declaration,
so what a list accepts and what the schema says cannot drift apart. Views that compute
their rows instead of filtering a queryset call :func:`cleaned_filters` to get the same
validation.

The governorate filter, which reads the gazetteer, is ``amina.geo.api_filters``.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
from django_filters.utils import translate_validation


class IdFilter(filters.NumberFilter):
    """A whole number: an id or a numeric code (``1.5`` or ``abc`` is refused)."""

    field_class = forms.IntegerField


class FlagField(forms.Field):
    """``true``/``false`` (also ``1``/``0``, ``yes``/``no``); anything else is refused."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in ("true", "1", "yes"):
            return True
        if text in ("false", "0", "no"):
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")

    def validate(self, value):
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class FlagFilter(filters.BooleanFilter):
    """A boolean parameter that refuses a value it does not understand (400)."""

    field_class = FlagField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)
        super().__init__(*args, **kwargs)


class FilterSet(filters.FilterSet):
    """The base of every API filter set."""


def cleaned_filters(view, queryset=None) -> dict:
    """The view's ``filterset_class`` applied to the request's query parameters: the cleaned
    values, or a 400 naming each bad parameter. For views that compute their rows."""
    filterset = view.filterset_class(
        data=view.request.query_params,
        queryset=queryset if queryset is not None else view.get_queryset(),
        request=view.request,
    )
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset.form.cleaned_data


__all__ = [
    "FilterSet",
    "FlagFilter",
    "IdFilter",
    "cleaned_filters",
    "filters",
]
