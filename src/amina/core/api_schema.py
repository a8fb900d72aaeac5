"""What the OpenAPI document says about every operation without each view repeating it.

:func:`document_errors` (a drf-spectacular postprocessing hook) adds the one ``Error``
component and attaches the error responses that can answer each operation: 400 where the
request carries a body or query parameters, 401 and 403 where a login is needed, 404 where
the path names an object or the list is paginated, 409 and 415 on writes, 429 everywhere
(throttling). A view that documents one of these itself keeps its own.
"""

from __future__ import annotations

import re

from amina.lib.api import decimal_pattern

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error the API answers has this shape.",
    "properties": {
        "detail": {
            "type": "string",
            "description": "one readable sentence saying what went wrong",
        },
        "code": {
            "type": "string",
            "description": "a stable word for programs: invalid, parse_error, "
            "not_authenticated, authentication_failed, permission_denied, not_found, "
            "conflict, unsupported_media_type, throttled, …",
        },
        "errors": {
            "type": "object",
            "description": "400 only: the reasons per field; nested fields are joined with "
            "dots (lines.0.item); reasons that concern no one field are under "
            "non_field_errors",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["detail", "code"],
}

DESCRIPTIONS = {
    "400": "A parameter or the body is invalid: `errors` names each field and reason.",
    "401": "No credentials, or credentials that are not valid.",
    "403": "The caller may not do this.",
    "404": "No such object in the caller's scope (an object outside it is answered alike), "
    "or no such page.",
    "409": "The request conflicts with the current state of the data.",
    "415": "The body is not JSON.",
    "429": "Too many requests: wait the number of seconds in `Retry-After`.",
}

WRITES = {"post", "put", "patch", "delete"}
#: drf-spectacular's pattern of a decimal string (it matches "", "-" and ".").
_LOOSE_DECIMAL = re.compile(r"^\^(-\?)?\\d\{0,(\d+)\}(?:\(\?:\\\.\\d\{0,(\d+)\}\)\?)?\$$")


def _needs_login(operation: dict) -> bool:
    security = operation.get("security")
    return bool(security) and {} not in security


def _tighten_decimals(node) -> None:
    if isinstance(node, dict):
        if node.get("format") == "decimal" and isinstance(node.get("pattern"), str):
            found = _LOOSE_DECIMAL.match(node["pattern"])
            if found:
                sign, whole, places = found.groups()
                whole, places = int(whole), int(places or 0)
                node["pattern"] = decimal_pattern(whole + places, places, signed=bool(sign))
        for value in node.values():
            _tighten_decimals(value)
    elif isinstance(node, list):
        for value in node:
            _tighten_decimals(value)


def tighten_values(result, generator, request, public):
    """Say what the server accepts, no more: a decimal string needs a digit."""
    _tighten_decimals(result)
    return result


def document_errors(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if method not in WRITES | {"get", "head", "options"}:
                continue
            params = operation.get("parameters", [])
            codes = {"429"}
            has_body = "requestBody" in operation
            if has_body or any(p.get("in") == "query" for p in params):
                codes.add("400")
            if _needs_login(operation):
                codes |= {"401", "403"}
            if any(p.get("in") == "path" for p in params) or any(
                p.get("name") == "page" and p.get("in") == "query" for p in params
            ):
                codes.add("404")
            if method in WRITES:
                codes |= {"400", "409"}
            if has_body:
                codes.add("415")
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(
                    code,
                    {"content": {"application/json": {"schema": ref}}, "description": ""},
                )
                if not responses[code].get("description"):
                    responses[code]["description"] = DESCRIPTIONS[code]
            operation["responses"] = dict(sorted(responses.items()))
    return result
