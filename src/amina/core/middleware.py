from django.contrib.auth.middleware import LoginRequiredMiddleware

from amina.core import errors

#: Views of Django that anyone may call: the language switch (also on the login page),
#: the JavaScript catalogue, and logging out (of nobody, for an anonymous caller).
PUBLIC_VIEWS = frozenset({"set_language", "javascript-catalog", "logout", "admin:logout"})


class LoginRequired(LoginRequiredMiddleware):
    """Every page needs a login unless marked ``login_not_required`` — safe by default.

    The API authenticates inside DRF (tokens), so it answers 401/403 itself instead of
    redirecting to the login page.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/"):
            return None
        match = getattr(request, "resolver_match", None)
        if match is not None and match.view_name in PUBLIC_VIEWS:
            return None
        # Django looks the user up first; a public view (``/healthz``) must not need the
        # session, nor so the database, to answer.
        if not getattr(view_func, "login_required", True):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class RefuseNulCharacters:
    """Answer 400 to a request whose path, query string or form fields (names or values)
    hold a NUL character (``\\x00``, ``%00``), for pages and API alike.

    No text in Amina may contain one, and PostgreSQL refuses it inside any query (a
    server error wherever a filter reaches the database), so it is refused here, once,
    before any view reads it. JSON bodies of the API are checked for ``\\u0000`` too.
    Uploaded files are not: a file's content is binary.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = self.offending(request)
        if name is not None:
            return errors.nul_refused(request, name)
        return self.get_response(request)

    @staticmethod
    def offending(request) -> str | None:
        """The name of the first parameter holding a NUL, or None."""
        if "\x00" in request.path_info:
            return "path"
        raw = request.META.get("QUERY_STRING", "")
        if "%00" in raw or "\x00" in raw:
            for key, values in request.GET.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    return key.replace("\x00", "")
            return "query"
        content_type = request.content_type or ""
        form = content_type in _FORM_TYPES
        # A multipart API body is left to DRF, which cannot read it once parsed here.
        if (
            request.method == "POST"
            and form
            and not (errors.is_api(request) and content_type == "multipart/form-data")
        ):
            for key, values in request.POST.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    return key.replace("\x00", "")
        if content_type == "application/json" and b"\\u0000" in request.body:
            return "body"
        return None


class DatabaseUnavailable:
    """A view that meets a lost database answers 503 with a page that needs none
    (``amina.core.errors``); the same for errors met in middleware goes through
    ``handler500`` (``errors.server_error``), since Django never hands those to
    ``process_exception``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, errors.DATABASE_DOWN):
            return errors.database_unavailable(request)
        return None
