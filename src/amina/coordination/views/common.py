"""What the coordination pages share."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator


def page_of(request, qs, size=50):
    """A page of ``qs``; ``page.base_query`` keeps the filters for the pager's links."""
    page = Paginator(qs, size).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    page.base_query = params.urlencode()
    return page


def form_errors(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form, by field when it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def flash_errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def safe_next(request, default: str) -> str:
    """The ``next`` field when it points inside this site, else ``default``."""
    from django.urls import reverse
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)
