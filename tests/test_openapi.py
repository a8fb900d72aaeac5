"""The OpenAPI document is a contract: CI fails when the code drifts from the committed one.

After a deliberate API change, regenerate it with
``amina spectacular --file docs/openapi.yaml --validate`` and commit both.
"""

from pathlib import Path

from django.core.management import call_command

COMMITTED = Path(__file__).resolve().parent.parent / "docs" / "openapi.yaml"


def test_the_api_matches_the_committed_openapi_document(tmp_path):
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")
    assert COMMITTED.exists(), "docs/openapi.yaml is missing: generate it (see this module)"
    assert generated.read_text() == COMMITTED.read_text(), (
        "the API changed: regenerate docs/openapi.yaml (see this module's docstring)"
    )
