"""Pages on a slow link: bytes over the wire for the first page and each later page,
measured by a real browser (Debian's Chromium through Playwright) on a throttled link.

Two servers run side by side on the same demo database (``amina demo --scale small
--no-serve`` in a temporary folder), each ``gunicorn`` as ``amina serve`` runs it:

- **now**: the project's settings; ``amina serve`` collects the static files first
  (hashed names cached for a year, gzip and brotli, no source maps);
- **before** (baseline, same run): the embedded mode as it was: static files served
  from the finders as they are (no hashed names, no compressed copies, source maps
  reachable) — ``bench/pages_before_settings.py``.

A national demo user opens the login page with an empty cache, logs in (the home page:
"first page" = login page + home page, what a new user downloads before seeing
anything), then every page of the top bar in turn, the cache kept as a browser keeps it
("later pages"). Bytes are Chromium's ``encodedDataLength`` summed over every response of
the page (headers included; 0 for what the cache served), on a link of
``--kbps`` kbit/s with ``--latency`` ms round trips (CDP ``Network.emulateNetworkConditions``).
Times are under that throttle on this shared machine: they only orient.

Run: ``.venv/bin/python -m bench pages`` (or ``python bench/bench_pages.py --kbps 400``).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("AMINA_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
NAV = re.compile(r"<nav\b.*?</nav>", re.S)
LINK = re.compile(r'href="(/[^"#]*)"')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(var_dir: str, **more: str) -> dict:
    env = {
        **os.environ,
        "AMINA_VAR_DIR": var_dir,
        "AMINA_SECURE": "false",
        "AMINA_TILE_URL": "",  # no tile server: nothing leaves this machine
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        **more,
    }
    env.pop("DATABASE_URL", None)
    return env


def _demo(var_dir: str, scale: str) -> tuple[str, str]:
    """Demo data in ``var_dir``; the national demo user's name and password."""
    done = subprocess.run(  # noqa: S603 (our own interpreter and command)
        [sys.executable, "-m", "amina", "demo", "--scale", scale, "--no-serve"],
        env=_environment(var_dir),
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    if done.returncode:
        raise SystemExit(f"amina demo failed:\n{done.stderr[-3000:]}")
    out = done.stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[2] == "national":
            return parts[0], parts[1]
    raise SystemExit(f"no national demo user in:\n{out}")


def _serve(var_dir: str, port: int, settings: str | None) -> subprocess.Popen:
    if settings is None:  # as `amina serve` (it collects the static files first)
        command = ["-m", "amina", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
        env = _environment(var_dir)
    else:  # the baseline: gunicorn on the same application, other settings, no collecting
        command = [
            "-m",
            "gunicorn",
            "amina.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ]
        env = _environment(var_dir, DJANGO_SETTINGS_MODULE=settings)
    process = subprocess.Popen(  # noqa: S603 (our own interpreter)
        [sys.executable, *command],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 600  # the first collection compresses every file
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=5)  # noqa: S310
            return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"the server on port {port} exited") from None
            time.sleep(1)
    process.terminate()
    raise SystemExit(f"the server on port {port} did not answer")


def measure(base: str, username: str, password: str, kbps: int, latency: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
        page = context.new_page()
        page.set_default_timeout(120_000)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": latency,
                "downloadThroughput": kbps * 1000 / 8,
                "uploadThroughput": kbps * 1000 / 8,
            },
        )
        received: dict[str, float] = {}
        urls: dict[str, str] = {}
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]),
        )
        cdp.on(
            "Network.loadingFinished",
            lambda e: received.__setitem__(e["requestId"], e["encodedDataLength"]),
        )

        def visit(action) -> tuple[int, float, list[str]]:
            received.clear()
            urls.clear()
            started = time.perf_counter()
            action()
            page.wait_for_load_state("networkidle")
            seconds = time.perf_counter() - started
            heavy = sorted(
                ((size, urls.get(rid, "?")) for rid, size in received.items()), reverse=True
            )
            paths = [u.removeprefix(base) for s, u in heavy[:3] if s > 20_000]
            return int(sum(received.values())), seconds, paths

        login_bytes, login_s, _ = visit(lambda: page.goto(f"{base}/accounts/login/"))

        def log_in() -> None:
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")

        home_bytes, home_s, home_heavy = visit(log_in)
        nav = NAV.search(page.content())
        links = sorted({u for u in LINK.findall(nav.group(0)) if not u.startswith("/admin/")})
        later = []
        for url in links:
            if url in ("/", "/accounts/login/"):
                continue
            size, seconds, heavy = visit(lambda url=url: page.goto(f"{base}{url}"))
            later.append({"url": url, "bytes": size, "seconds": round(seconds, 1), "heavy": heavy})
        # The home page again, as a user returning to it.
        home_again, home_again_s, _ = visit(lambda: page.goto(f"{base}/"))
        browser.close()
    return {
        "login": login_bytes,
        "login_seconds": round(login_s, 1),
        "home": home_bytes,
        "home_seconds": round(home_s, 1),
        "home_heavy": home_heavy,
        "first": login_bytes + home_bytes,
        "later": later,
        "home_again": home_again,
        "later_max": max((p["bytes"] for p in later), default=0),
        "later_median": int(statistics.median([p["bytes"] for p in later])) if later else 0,
    }


def _kb(n: float) -> str:
    return f"{n / 1000:,.0f} KB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", choices=["small", "medium", "large"])
    parser.add_argument("--kbps", type=int, default=400, help="link speed, kbit/s each way")
    parser.add_argument("--latency", type=int, default=400, help="round trip, ms")
    args = parser.parse_args(argv)
    var_dir = tempfile.mkdtemp(prefix="amina-bench-pages-")
    print(f"pages: demo data ({args.scale}) in {var_dir} …", flush=True)
    username, password = _demo(var_dir, args.scale)
    results = {}
    for label, settings in (("before", "bench.pages_before_settings"), ("now", None)):
        port = _free_port()
        server = _serve(var_dir, port, settings)
        try:
            results[label] = measure(
                f"http://127.0.0.1:{port}", username, password, args.kbps, args.latency
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    before, now = results["before"], results["now"]
    print(
        f"pages over a {args.kbps} kbit/s link with {args.latency} ms round trips "
        f"(national user, demo {args.scale}); now (before)"
    )
    print(
        f"  first page (login + home, empty cache): {_kb(now['first'])} ({_kb(before['first'])}); "
        f"login {_kb(now['login'])} ({_kb(before['login'])}) in {now['login_seconds']} s "
        f"({before['login_seconds']} s), home {_kb(now['home'])} ({_kb(before['home'])}) in "
        f"{now['home_seconds']} s ({before['home_seconds']} s)"
    )
    if now["home_heavy"]:
        print(f"    largest on the home page now: {', '.join(now['home_heavy'])}")
    print(
        f"  later pages: at most {_kb(now['later_max'])} ({_kb(before['later_max'])}), "
        f"median {_kb(now['later_median'])} ({_kb(before['later_median'])}); "
        f"home page again {_kb(now['home_again'])} ({_kb(before['home_again'])})"
    )
    old = {p["url"]: p for p in before["later"]}
    for p in now["later"]:
        b = old.get(p["url"], {"bytes": 0, "seconds": 0})
        extra = f"  [{', '.join(p['heavy'])}]" if p["heavy"] else ""
        print(
            f"    {p['url']:<34} {_kb(p['bytes']):>8} ({_kb(b['bytes'])}) "
            f"{p['seconds']:>5} s ({b['seconds']} s){extra}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
