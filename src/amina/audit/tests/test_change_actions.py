"""Every action a service records is one the change history can name in the reader's
language: an action missing from ``ChangeLog.Action`` shows as a bare English word."""

import ast
from pathlib import Path

from amina.audit.models import ChangeLog

SRC = Path(__file__).resolve().parents[2]


def recorded_actions() -> dict[str, str]:
    """Each literal action passed to ``record_change`` / ``record_bulk`` → where."""
    found = {}
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name not in ("record_change", "record_bulk"):
                continue
            action = node.args[2] if len(node.args) > 2 else None
            action = next((k.value for k in node.keywords if k.arg == "action"), action)
            if isinstance(action, ast.Constant) and isinstance(action.value, str):
                found[action.value] = f"{path.relative_to(SRC)}:{node.lineno}"
    return found


def test_it_finds_the_actions_services_record():
    actions = recorded_actions()
    assert {"create", "update", "import", "publish", "dispatch"} <= set(actions)


def test_every_recorded_action_has_a_translatable_label():
    unknown = {a: where for a, where in recorded_actions().items() if a not in ChangeLog.Action}
    assert not unknown, f"add these to ChangeLog.Action: {unknown}"
