"""The catalogues of every language but English: refresh them (``--update``) or check
them (``--check``, in CI).

The languages are those of ``settings.LANGUAGES`` (Arabic and Central Kurdish today).
Each capability app keeps its own catalogues in ``src/amina/<app>/locale``; the project
catalogue in ``src/amina/locale`` covers the shared templates and the foundation apps.
The check fails when a translatable string has no entry in a language, an entry is
untranslated or fuzzy, or a committed ``.mo`` is stale. ``--lang ckb`` limits either
to one language (a translator refreshing Kurdish leaves the Arabic files alone).
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "src" / "amina"


def languages() -> list[str]:
    """Every language of ``settings.LANGUAGES`` but English (the msgids are English)."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "amina.settings")
    from django.conf import settings

    return [code for code, _name in settings.LANGUAGES if code != "en"]


def roots() -> list[tuple[Path, list[str]]]:
    """(directory, ignore patterns): the project root ignores apps that own a catalogue."""
    owned = sorted(p.parent for p in APP.glob("*/locale") if p.is_dir())
    found = [(APP, [f"{p.name}/*" for p in owned] + ["static/*"])]
    found += [(p, ["static/*"]) for p in owned]
    return found


def makemessages(directory: Path, ignore: list[str], langs: list[str]) -> None:
    (directory / "locale").mkdir(exist_ok=True)
    args = [sys.executable, "-m", "django", "makemessages"]
    for lang in langs:
        args += ["-l", lang]
    args += [
        "--no-obsolete",
        "--add-location",
        "file",
    ]
    for pattern in ignore:
        args += ["--ignore", pattern]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "amina.settings",
        "PYTHONPATH": str(ROOT / "src"),
    }
    subprocess.run(args, cwd=directory, check=True, env=env, capture_output=True)  # noqa: S603


def untranslated(po: Path) -> list[str]:
    import polib

    return [
        e.msgid
        for e in polib.pofile(str(po))
        if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)
    ]


def compile_mo(po: Path, mo: Path) -> None:
    subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)  # noqa: S603,S607


def update(langs: list[str]) -> int:
    for directory, ignore in roots():
        makemessages(directory, ignore, langs)
        for lang in langs:
            po = directory / "locale" / lang / "LC_MESSAGES" / "django.po"
            if po.exists():
                compile_mo(po, po.with_suffix(".mo"))
                missing = untranslated(po)
                print(f"{po.relative_to(ROOT)}: {len(missing)} untranslated")
    return 0


def check(langs: list[str]) -> int:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "amina"
        shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
        for directory, ignore in roots():
            relative = directory.relative_to(APP)
            target = copy / relative
            makemessages(target, ignore, langs)
            for lang in langs:
                fresh = target / "locale" / lang / "LC_MESSAGES" / "django.po"
                if not fresh.exists():
                    continue
                committed = directory / "locale" / lang / "LC_MESSAGES" / "django.po"
                missing = untranslated(fresh)
                if missing:
                    problems.append(
                        f"{committed.relative_to(ROOT)}: {len(missing)} untranslated "
                        f"strings, e.g. {missing[:4]} — run `make messages` and translate"
                    )
                if committed.exists():
                    name = relative.as_posix().replace("/", "_") or "root"
                    out = Path(tmp) / f"{name}-{lang}.mo"
                    compile_mo(committed, out)
                    mo = committed.with_suffix(".mo")
                    if not mo.exists() or mo.read_bytes() != out.read_bytes():
                        problems.append(f"{mo.relative_to(ROOT)} is stale: run `make messages`")
    for p in problems:
        print(f"catalogue: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--update", action="store_true", help="refresh and compile every catalogue")
    mode.add_argument("--check", action="store_true", help="fail on a gap or a stale .mo")
    parser.add_argument(
        "--lang", action="append", help="only this language (repeat for several); default: all"
    )
    args = parser.parse_args()
    langs = args.lang or languages()
    sys.exit(update(langs) if args.update else check(langs))
