"""Keeping ``amina demo``'s two processes up: a worker that exits is started again.

The site is the web server: when it exits, everything stops. A worker, though, may exit
for reasons that pass (a database locked beyond its patience, a crash in a job's code, the
out-of-memory killer); it is started again after a pause that doubles with each exit in a
row, up to a minute, and resets once a worker has stayed up for a minute. Production runs
its workers under systemd or the like, which does the same.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import time
from collections.abc import Sequence

log = logging.getLogger(__name__)


class Supervisor:
    def __init__(
        self,
        worker: Sequence[str],
        server: Sequence[str],
        env: dict | None = None,
        *,
        first_delay: float = 1.0,
        most_delay: float = 60.0,
        steady: float = 60.0,
        poll: float = 0.5,
    ) -> None:
        self.worker_args, self.server_args, self.env = list(worker), list(server), env
        self.first_delay, self.most_delay, self.steady, self.poll = (
            first_delay,
            most_delay,
            steady,
            poll,
        )
        self.worker: subprocess.Popen | None = None
        self.worker_started = 0.0
        self.server: subprocess.Popen | None = None
        self.restarts = 0

    def _start_worker(self) -> None:
        self.worker = subprocess.Popen(self.worker_args, env=self.env)  # noqa: S603
        self.worker_started = time.monotonic()

    def run(self) -> int:
        """Run until the server exits or a stop signal; returns the server's exit code."""

        def stop(*_args):
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, stop)
        delay = self.first_delay
        restart_at: float | None = None
        try:
            self._start_worker()
            self.server = subprocess.Popen(self.server_args, env=self.env)  # noqa: S603
            while self.server.poll() is None:
                now = time.monotonic()
                exited = self.worker is not None and self.worker.poll() is not None
                if restart_at is None and exited:
                    if now - self.worker_started >= self.steady:
                        delay = self.first_delay
                    log.warning(
                        "the worker exited (code %s); starting it again in %.0f s",
                        self.worker.returncode,
                        delay,
                    )
                    restart_at = now + delay
                    delay = min(delay * 2, self.most_delay)
                if restart_at is not None and now >= restart_at:
                    restart_at = None
                    self.restarts += 1
                    self._start_worker()
                time.sleep(self.poll)
            return self.server.returncode
        except KeyboardInterrupt:
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
            self._stop_all()

    def _stop_all(self) -> None:
        children = [child for child in (self.worker, self.server) if child is not None]
        for child in children:
            if child.poll() is None:
                child.terminate()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
