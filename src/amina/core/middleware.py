from django.contrib.auth.middleware import LoginRequiredMiddleware

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
        return super().process_view(request, view_func, view_args, view_kwargs)
