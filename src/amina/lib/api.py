"""What every API view shares that depends on no app: the one router each app's ``api``
module registers on, decimal fields and their schema, the 404 of unknown API addresses.

Views scoped by the access policy are in ``amina.accounts.api_base``."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework.routers import DefaultRouter

router = DefaultRouter()


def decimal_pattern(max_digits: int, decimal_places: int, *, signed: bool) -> str:
    """The strings a ``DecimalField`` accepts, as a pattern that an empty string, a lone
    sign or a lone point does not match (drf-spectacular's own pattern lets them through)."""
    whole = max_digits - decimal_places
    sign = "-?" if signed else ""
    if decimal_places == 0:
        return rf"^{sign}\d{{1,{whole}}}$"
    if whole == 0:
        return rf"^{sign}0?\.\d{{1,{decimal_places}}}$"
    return rf"^{sign}\d{{1,{whole}}}(?:\.\d{{1,{decimal_places}}})?$"


class NonNegativeDecimalField(serializers.DecimalField):
    """A quantity, weight or volume: a decimal that is never negative."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        super().__init__(*args, **kwargs)


class NonNegativeDecimalFieldSchema(OpenApiSerializerFieldExtension):
    target_class = NonNegativeDecimalField

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        return {
            "type": "string",
            "format": "decimal",
            "pattern": decimal_pattern(field.max_digits, field.decimal_places, signed=False),
        }


_BACKEND_LIMITS = {2**15 - 1, -(2**15), 2**31 - 1, -(2**31), 2**63 - 1, -(2**63)}


def drop_database_integer_ranges(result, generator, request, public):
    """Remove integer bounds that come from the database backend, not from the model.

    DRF derives ``maximum``/``minimum`` (and so ``format: int64``) of integer fields from
    the connected database's column ranges, which differ between SQLite and PostgreSQL;
    the published contract must not depend on where it was generated.
    """

    def walk(node):
        if isinstance(node, dict):
            for key in ("maximum", "minimum"):
                if node.get(key) in _BACKEND_LIMITS:
                    del node[key]
            if node.get("type") == "integer":
                node.pop("format", None)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
