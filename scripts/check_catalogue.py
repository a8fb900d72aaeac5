"""CI gate: the Arabic catalogue is complete and its compiled .mo matches the .po.

Fails when a translatable string in the code has no Arabic entry (makemessages would add
it), when an entry is untranslated or fuzzy, or when the committed .mo is stale.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "src" / "amina"
LOCALE = APP / "locale" / "ar" / "LC_MESSAGES"


def untranslated(po: Path) -> list[str]:
    import polib  # noqa: PLC0415

    catalogue = polib.pofile(str(po))
    return [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def main() -> int:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "amina"
        shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
        (copy / "static").mkdir()
        for domain in ("django", "djangojs"):
            subprocess.run(  # noqa: S603
                [sys.executable, "-m", "django", "makemessages", "-l", "ar", "-d", domain,
                 "--no-obsolete", "--add-location", "file"],
                cwd=copy, check=True, capture_output=True,
                env={"DJANGO_SETTINGS_MODULE": "amina.settings", "PATH": "/usr/bin:/bin",
                     "PYTHONPATH": str(ROOT / "src")},
            )
            fresh = copy / "locale" / "ar" / "LC_MESSAGES" / f"{domain}.po"
            if not fresh.exists():
                continue
            missing = untranslated(fresh)
            if missing:
                problems.append(f"{len(missing)} untranslated {domain} strings, e.g. {missing[:5]}")
            mo = LOCALE / f"{domain}.mo"
            po = LOCALE / f"{domain}.po"
            if po.exists():
                out = Path(tmp) / f"{domain}.mo"
                subprocess.run(["msgfmt", "-o", str(out), str(po)], check=True)  # noqa: S603,S607
                if not mo.exists() or mo.read_bytes() != out.read_bytes():
                    problems.append(f"{mo.relative_to(ROOT)} is stale: run `make messages`")
    for p in problems:
        print(f"catalogue: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
