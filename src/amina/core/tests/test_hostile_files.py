"""Every importer refuses every file of the hostile corpus (``hostile.py``) with its
expected message, within 1 GB of address space, and leaves the database as it was.

Each importer runs in its own process (an embedded installation, as a worker runs it)
under ``RLIMIT_AS``: a reader that materialised a declared A1:XFD1048576 sheet, unpacked
a zip bomb or split a 50 MB line into cells would die there instead of passing.
"""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys

import pytest

from amina.core.tests import hostile
from amina.lib.testing.processes import clean_env, migrated_installation

MEMORY = 1024 * 1024 * 1024


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


@pytest.fixture(scope="module")
def installation(tmp_path_factory):
    return migrated_installation(tmp_path_factory, tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("importer", hostile.IMPORTERS)
def test_every_hostile_file_is_refused_with_its_reason_within_memory(
    importer, installation, tmp_path
):
    result = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "amina.core.tests.hostile", importer, str(tmp_path)],
        env=clean_env(installation, DJANGO_SETTINGS_MODULE="amina.settings"),
        preexec_fn=_limit_memory,  # noqa: PLW1509 (no threads in the test process to fork)
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    outcome = report["outcome"]
    cases = {**hostile.CASES, **(hostile.GEO_CASES if importer == "boundaries" else {})}
    assert set(outcome) == set(cases)
    wrong = {
        case: message
        for case, message in outcome.items()
        if not re.search(hostile.expected(importer, case), message)
    }
    assert not wrong, json.dumps(wrong, indent=1, ensure_ascii=False)[:4000]
    changed = {
        table: (count, report["after"][table])
        for table, count in report["before"].items()
        if report["after"][table] != count
    }
    assert not changed, f"the database changed: {changed}"


def test_the_corpus_holds_every_kind_of_hostile_file():
    # The brief of this corpus: at least 25 kinds, each with its expected refusal.
    assert len(hostile.CASES) >= 25
    assert all(expected for _name, _builder, expected in hostile.CASES.values())
