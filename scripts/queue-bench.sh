#!/usr/bin/env bash
# `npm run bench:queue [-- --quick]` (also the last step of `npm run bench`): the queue-mode and
# one-process figures of BENCHMARKS.md, in a real n8n 2.41.1 (bench/queue.ts). Needs Debian's
# postgresql and redis-server (.ci/run installs them). Builds and packs the package, compiles the
# bench, ensures Node 24 and n8n 2.x in .cache/. BENCH_SKIP_BUILD=1: dist/ and the compiled bench
# (.cache/bench/build) are fresh already.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NODE_DIR="$(bash scripts/ensure-node24.sh)"
bash scripts/ensure-n8n.sh 2 >/dev/null
bash scripts/queue-ensure-services.sh
if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
	npm run build >&2
	rm -rf .cache/bench/build
	npx tsc -p bench/tsconfig.json
fi
PACK_DIR="$ROOT/.cache/pack/bench-$$"
mkdir -p "$PACK_DIR"
trap 'rm -rf "$PACK_DIR"' EXIT
TARBALL="$PACK_DIR/$(npm pack --silent --pack-destination "$PACK_DIR" | tail -n 1)"

E2E_ROOT="$ROOT" BENCH_ROOT="$ROOT" E2E_PACKAGE_TARBALL="$TARBALL" PATH="$NODE_DIR:$PATH" \
	"$NODE_DIR/node" .cache/bench/build/bench/queue.js "$@"
