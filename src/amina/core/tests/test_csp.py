"""The Content Security Policy: sent on every page, strict for scripts, and kept possible by
templates and scripts that never need inline code (a scan, so a later edit cannot break
the policy silently: an inline script would simply stop running in the browser)."""

import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2]  # src/amina
TEMPLATE_FILES = sorted(
    p for p in PACKAGE.glob("**/templates/**/*") if p.is_file() and p.suffix in {".html", ".svg"}
)
PROJECT_SCRIPTS = sorted(p for p in PACKAGE.glob("**/static/**/*.js") if "vendor" not in p.parts)

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
# A start tag, quoted attribute values skipped whole (Django tags inside are harmless).
TAG = re.compile(r"<[a-zA-Z][\w:-]*((?:[^<>\"']|\"[^\"]*\"|'[^']*')*)>")
HANDLER = re.compile(r"(?:^|[\s\"'}%])((?:on[a-z]+)|(?:hx-on[\w:.-]*))\s*=", re.IGNORECASE)
JS_URL = re.compile(r"javascript\s*:", re.IGNORECASE)
HTML_SINK = re.compile(r"bindTooltip|bindPopup|setContent|innerHTML|outerHTML|insertAdjacentHTML")


def policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_strict(directives: dict[str, list[str]]) -> None:
    scripts = directives.get("script-src", directives.get("default-src"))
    assert scripts == ["'self'"], scripts
    assert not any("'unsafe-eval'" in values for values in directives.values())
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]


def problems_in(text: str) -> list[str]:
    """What in one template the policy would block: inline script bodies, on*= / hx-on
    handlers, javascript: URLs."""
    found = []
    for attrs, body in SCRIPT.findall(text):
        if "application/json" in attrs.lower():
            continue
        if body.strip() or "src=" not in attrs.lower():
            found.append(f"inline <script{attrs}>")
    for match in TAG.finditer(text):
        found += [f"handler {name}=" for name in HANDLER.findall(match.group(1))]
    found += ["javascript: URL" for _ in JS_URL.findall(text)]
    return found


@pytest.mark.django_db
def test_a_page_carries_a_strict_policy(client, national_user):
    client.force_login(national_user)
    response = client.get("/")
    assert response.status_code == 200
    directives = policy(response)
    assert_strict(directives)
    assert directives["frame-ancestors"] == ["'none'"]
    assert "data:" in directives["img-src"], "Leaflet's icons are data: URLs"


@pytest.mark.django_db
def test_the_login_page_carries_the_policy_for_anonymous_callers(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert_strict(policy(response))


@pytest.mark.django_db
def test_the_api_docs_run_without_inline_script(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    assert_strict(policy(page))
    html = page.content.decode()
    assert problems_in(html) == []
    sources = re.findall(r"<script\b[^>]*\bsrc=\"([^\"]+)\"", html)
    start = [s for s in sources if "script" in s.split("?", 1)[-1]]
    assert len(start) == 1, sources
    script = client.get(start[0].replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content


@pytest.mark.django_db
def test_the_admin_carries_the_policy(client, admin_user):
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    client.force_login(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert_strict(policy(response))


def test_the_template_scan_finds_what_the_policy_blocks():
    samples = {
        "<script>alert(1)</script>": "inline <script>",
        '<script type="module">x()</script>': "inline <script",
        '<button onclick="go()">': "handler onclick=",
        '<select class="a" {% if x %}onchange="f()"{% endif %}>': "handler onchange=",
        '<div hx-on:click="f()">': "handler hx-on:click=",
        '<a href="javascript:history.back()">': "javascript: URL",
    }
    for sample, expected in samples.items():
        assert any(p.startswith(expected) for p in problems_in(sample)), sample
    allowed = (
        '<script src="/static/amina/map.js"></script>'
        '<script id="d" type="application/json">{"a": 1}</script>'
        '<select data-autosubmit name="round"><option value="1">one</option></select>'
        '<div data-label="on the map = here" hx-get="/x" hx-trigger="change">'
    )
    assert problems_in(allowed) == []


def test_no_template_has_inline_script_or_event_handlers():
    assert len(TEMPLATE_FILES) > 50, "the scan must see the templates"
    found = {}
    for path in TEMPLATE_FILES:
        if problems := problems_in(path.read_text(encoding="utf-8")):
            found[str(path.relative_to(PACKAGE))] = problems
    assert found == {}, (
        "The Content Security Policy blocks these: move the code into a static file and "
        "pass data with json_script (see docs/architecture.md)."
    )


def test_scripts_that_write_html_escape_with_the_one_helper():
    """Any project script that hands HTML to the page uses Amina.escapeHtml / Amina.link
    (static/amina/amina.js), and none keeps an escaper of its own."""
    assert PROJECT_SCRIPTS, "the scan must see the scripts"
    for path in PROJECT_SCRIPTS:
        if path.name == "amina.js":
            continue
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"function\s+esc\w*\s*\(|\.replace\(/\[&<>", text), path.name
        if HTML_SINK.search(text):
            assert re.search(r"Amina\.(escapeHtml|link)\b", text), path.name
