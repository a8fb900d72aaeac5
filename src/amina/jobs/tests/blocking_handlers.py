"""Job handlers for the tests that run real worker processes (imported by those processes).

Each handler appends a line to ``parameters["started"]`` when it starts, then waits,
silent (no progress call), until the file ``parameters["release"]`` exists: the test
decides when the job may finish, or kills its worker while it waits.
"""

import time
from pathlib import Path

from amina.jobs.services import handler


def _block(job) -> dict:
    with open(job.parameters["started"], "a") as marker:
        marker.write(f"attempt {job.attempts}\n")
    release = Path(job.parameters["release"])
    while not release.exists():
        time.sleep(0.05)
    return {"attempt": job.attempts}


@handler("test-block")
def block(job, progress) -> dict:
    return _block(job)


@handler("test-block-idempotent", idempotent=True)
def block_idempotent(job, progress) -> dict:
    return _block(job)
