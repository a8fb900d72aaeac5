"""Running ``amina`` in a fresh process, as a person or a server would, for tests.

The test database of pytest-django is invisible to another process, so these tests use
their own embedded SQLite installation: migrated once per session, copied per test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

AMINA = Path(sys.executable).with_name("amina")
_TEMPLATE: dict[str, Path] = {}


def clean_env(var_dir: Path, **extra: str) -> dict:
    """The environment of a fresh embedded installation in ``var_dir`` (no production vars)."""
    dropped = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AMINA_") and k not in dropped}
    return {**env, "AMINA_VAR_DIR": str(var_dir), **extra}


def run_amina(
    args: list[str],
    var_dir: Path,
    *,
    input: str | None = None,  # noqa: A002
    timeout: float = 120,
    **env: str,
) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [str(AMINA), *args],
        env=clean_env(var_dir, **env),
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def migrated_installation(tmp_path_factory, target: Path) -> Path:
    """A copy of a migrated embedded installation at ``target`` (migrated once per session)."""
    if "dir" not in _TEMPLATE:
        template = tmp_path_factory.mktemp("amina-template")
        result = run_amina(["migrate", "-v0"], template)
        assert result.returncode == 0, result.stderr
        _TEMPLATE["dir"] = template
    shutil.copytree(_TEMPLATE["dir"], target, dirs_exist_ok=True)
    return target
