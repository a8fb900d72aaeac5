"""One shape for every error the API answers, and one place that maps domain errors to it.

Every refusal reads ``{"detail": "...", "code": "...", "errors": {"field": ["..."]}}``:
``detail`` is one readable sentence, ``code`` a stable machine word, ``errors`` (on 400
only) the reasons per field, nested fields joined with dots (``lines.0.item``). DRF's
``EXCEPTION_HANDLER`` points at :func:`exception_handler`, so a service that raises
Django's ``ValidationError``, ``PermissionDenied``, ``ObjectDoesNotExist``/``Http404`` or
an ``IntegrityError`` becomes a 400, 403, 404 or 409 without a try/except in each view.

An app whose services raise their own exception class registers its status once, in its
``api`` module: ``api_errors.register(Unavailable, 404, "unavailable")``. Anything else
is a bug and stays a 500, logged with its traceback.
"""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import set_rollback

#: Codes of a value that has not the documented form (type, format, length, range,
#: choice, a required field missing). A 400 with one of them says the request broke the
#: schema; any other 400 is a refusal of a well-formed request: ``unknown`` or
#: ``does_not_exist`` (a reference to nothing in the caller's scope), ``refused`` or a
#: service's own code (a rule of the domain: not enough stock, a plan not yet optimised).
FORMAT_CODES = frozenset(
    {
        "invalid",
        "required",
        "null",
        "blank",
        "empty",
        "max_length",
        "min_length",
        "max_string_length",
        "min_value",
        "max_value",
        "max_digits",
        "max_decimal_places",
        "max_whole_digits",
        "not_a_list",
        "not_a_dict",
        "invalid_choice",
        "incorrect_type",
        "invalid_pk_value",
        "date",
        "datetime",
        "make_aware",
        "overflow",
        "parse_error",
    }
)

#: Domain exception classes registered by the apps: class -> (status, code).
_REGISTERED: dict[type[BaseException], tuple[int, str]] = {}


def register(exc_class: type[BaseException], status_code: int, code: str) -> None:
    """Answer ``exc_class`` (and its subclasses) with ``status_code`` and ``code``."""
    _REGISTERED[exc_class] = (status_code, code)


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"a.0.b": ["reason", …]}``."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for k, v in flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(v, dict | list) for v in detail):
            if detail:
                out[prefix or "non_field_errors"] = [force_str(v) for v in detail]
        else:
            for i, value in enumerate(detail):
                for k, v in flatten(value, f"{prefix}.{i}" if prefix else str(i)).items():
                    out.setdefault(k, []).extend(v)
    else:
        out[prefix or "non_field_errors"] = [force_str(detail)]
    return out


def _details(errors: list[DjangoValidationError]) -> list[ErrorDetail]:
    """A service's reasons with their codes; a reason without one is a rule of the
    domain (``refused``), not a malformed value."""
    out = []
    for error in errors:
        for message in error.messages:
            out.append(ErrorDetail(message, code=error.code or "refused"))
    return out


def _django_validation(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {
                ("non_field_errors" if key == "__all__" else key): _details(errors)
                for key, errors in exc.error_dict.items()
            }
        )
    return exceptions.ValidationError(_details(exc.error_list))


def _as_api_exception(exc: BaseException) -> exceptions.APIException | None:
    if isinstance(exc, exceptions.APIException):
        return exc
    for cls in type(exc).__mro__:
        if cls in _REGISTERED:
            status_code, code = _REGISTERED[cls]
            if status_code == status.HTTP_400_BAD_REQUEST:
                return exceptions.ValidationError([force_str(exc)], code=code)
            api = exceptions.APIException(force_str(exc) or None, code=code)
            api.status_code = status_code
            return api
    if isinstance(exc, DjangoValidationError):
        return _django_validation(exc)
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*(exc.args[:1] or ()))
    if isinstance(exc, IntegrityError):
        # A unique key or a foreign key refused the write: the request conflicts with the
        # data as it is now (a duplicate, a concurrent change). The database's text is
        # not shown: it can quote values.
        api = exceptions.APIException(
            _("The request conflicts with the current state of the data."), code="conflict"
        )
        api.status_code = status.HTTP_409_CONFLICT
        return api
    return None


def _leaf_codes(codes) -> list[str]:
    if isinstance(codes, dict):
        return [c for value in codes.values() for c in _leaf_codes(value)]
    if isinstance(codes, list):
        return [c for value in codes for c in _leaf_codes(value)]
    return [str(codes) if codes is not None else "invalid"]


def _code_of(exc: exceptions.APIException, default: str) -> str:
    """The one code of ``exc``; with several: ``invalid`` if any says the value is
    malformed, else ``default``."""
    codes = set(_leaf_codes(exc.get_codes()))
    if len(codes) == 1:
        return codes.pop()
    if codes & FORMAT_CODES:
        return "invalid"
    return default


def _first_reason(errors: dict[str, list[str]]) -> str:
    for field, reasons in errors.items():
        if reasons:
            return reasons[0] if field == "non_field_errors" else f"{field}: {reasons[0]}"
    return force_str(_("Invalid input."))


def error_body(exc: exceptions.APIException) -> dict:
    """The one error shape for ``exc``."""
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail)
        return {"detail": _first_reason(errors), "code": _code_of(exc, "refused"), "errors": errors}
    detail = exc.detail
    if isinstance(detail, list | dict):
        errors = flatten(detail)
        return {"detail": _first_reason(errors), "code": exc.default_code, "errors": errors}
    return {"detail": force_str(detail), "code": _code_of(exc, exc.default_code)}


def exception_handler(exc, context):
    """DRF's ``EXCEPTION_HANDLER``: every error in the one shape; ``None`` (a 500) for bugs."""
    api = _as_api_exception(exc)
    if api is None:
        return None
    headers = {}
    if getattr(api, "auth_header", None):
        headers["WWW-Authenticate"] = api.auth_header
    if getattr(api, "wait", None):
        headers["Retry-After"] = str(int(api.wait))
    set_rollback()
    return Response(error_body(api), status=api.status_code, headers=headers)
