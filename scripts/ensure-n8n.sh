#!/usr/bin/env bash
# Ensure a real n8n is installed in .cache/, pinned by the committed host lockfiles:
#   bash scripts/ensure-n8n.sh 2   -> n8n 2.x (e2e/hosts/n8n-2, runs on Node 24)
#   bash scripts/ensure-n8n.sh 1   -> n8n 1.x (e2e/hosts/n8n-1, runs on the system Node 20)
# Installs into .cache/n8n-<version>/ with `npm ci --ignore-scripts` followed by
# `npm rebuild sqlite3` (the only native addon n8n needs to start here; the other install
# scripts want to download binaries from hosts this machine cannot reach). A marker file written
# last (holding the lockfile's hash and the Node version) makes the next call return at once.
# Prints the path of the n8n bin on stdout; everything else goes to stderr.
set -euo pipefail

MAJOR="${1:-}"
if [[ "$MAJOR" != "1" && "$MAJOR" != "2" ]]; then
	echo "usage: $0 2|1" >&2
	exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOST="$ROOT/e2e/hosts/n8n-$MAJOR"
VERSION="$(node -p "require('$HOST/package.json').dependencies.n8n")"
DIR="$ROOT/.cache/n8n-$VERSION"
MARKER="$DIR/.ensure-n8n-complete"
BIN="$DIR/node_modules/.bin/n8n"

if [[ "$MAJOR" == "2" ]]; then
	NODE_DIR="$(bash "$ROOT/scripts/ensure-node24.sh")"
	export PATH="$NODE_DIR:$PATH"
	# Build native addons against Node 24's headers (the machine's npmrc points at Node 20's).
	export npm_config_nodedir="$(cd "$NODE_DIR/.." && pwd)"
else
	# n8n 1.x runs on the machine's own Node (20): drop Node 24 from PATH if a caller put it there.
	PATH="$(echo "$PATH" | tr ':' '\n' | grep -v -F "$ROOT/.cache/node24" | paste -sd: -)"
	export PATH
fi

expected_marker() {
	echo "lock=$(sha256sum "$HOST/package-lock.json" | cut -d' ' -f1) node=$(node -v)"
}

if [[ -f "$MARKER" && -x "$BIN" && "$(cat "$MARKER")" == "$(expected_marker)" ]]; then
	echo "$BIN"
	exit 0
fi

mkdir -p "$ROOT/.cache"
# One installer at a time per version (parallel test runs may all call this).
exec 9>"$ROOT/.cache/n8n-$VERSION.lock"
flock 9
if [[ -f "$MARKER" && -x "$BIN" && "$(cat "$MARKER")" == "$(expected_marker)" ]]; then
	echo "$BIN"
	exit 0
fi

START=$(date +%s)
echo "ensure-n8n: installing n8n $VERSION into $DIR with node $(node -v) (takes minutes)" >&2
mkdir -p "$DIR"
rm -f "$MARKER"
cp "$HOST/package.json" "$HOST/package-lock.json" "$DIR/"
(
	cd "$DIR"
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2
	# sqlite3's install script tries a prebuilt download first; go straight to node-gyp.
	npm_config_build_from_source=true npm rebuild sqlite3 --no-audit --no-fund --loglevel=error >&2
	node -e "require('sqlite3')" >&2
)
test -x "$BIN"
expected_marker >"$MARKER"
echo "ensure-n8n: n8n $VERSION ready in $(($(date +%s) - START)) s" >&2
echo "$BIN"
