#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the browser journeys, gettext for the
# translation catalogues, and what WeasyPrint needs to render PDFs with Arabic shaped.
# Idempotent: installs only what is missing. Needs root (or sudo).
set -euo pipefail
packages=(chromium gettext fonts-noto-core fonts-hosny-amiri libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "installing: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
