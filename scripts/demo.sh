#!/usr/bin/env bash
# The demo (`npm start`): builds and packs the package, then scripts/demo.js starts the Identomat
# sandbox and a real n8n 2.x with the package installed as a community package, the "Identomat
# Sandbox" credential and the example workflows. Ctrl-C stops everything.
#   DEMO_RESET=1 npm start    start from an empty n8n (drops the demo's database in .cache/demo)
#   DEMO_PORT=5678, SANDBOX_PORT=8484 to move them.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1m%s\033[0m\n' "$*" >&2; }

say "1/4 Node 24 and n8n (installed once into .cache/, takes minutes the first time)"
NODE_DIR="$(bash scripts/ensure-node24.sh)"
N8N_BIN="$(bash scripts/ensure-n8n.sh 2)"

say "2/4 Development dependencies"
if [[ ! -x node_modules/.bin/n8n-node || ! -x node_modules/.bin/gulp ]]; then
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

say "3/4 Build and pack the package"
npm run --silent build >/dev/null
mkdir -p .cache/pack/demo
TARBALL="$(npm pack --silent --pack-destination .cache/pack/demo | tail -n 1)"

say "4/4 Sandbox and n8n"
exec "$NODE_DIR/node" scripts/demo.js --n8n-bin "$N8N_BIN" --tarball ".cache/pack/demo/$TARBALL"
