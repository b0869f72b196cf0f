#!/usr/bin/env bash
# The browser test drives Debian's Chromium (never a downloaded browser). Installs it when missing
# and this user may (root, as on this project's machines); otherwise says how.
set -euo pipefail
CHROMIUM="${E2E_CHROMIUM:-/usr/bin/chromium}"
if [[ -x "$CHROMIUM" ]]; then exit 0; fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
	echo "ensure-chromium: installing Debian's chromium for the browser test" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2
	exit 0
fi
echo "ensure-chromium: $CHROMIUM is missing. Install Chromium (Debian: sudo apt-get install chromium), or point E2E_CHROMIUM at a Chromium binary." >&2
exit 1
