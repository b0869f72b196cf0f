#!/usr/bin/env bash
# `npm run bench [-- --quick]`: builds the package (dist, for the package figures) and the bench
# (bench/*.ts with the node sources and test helpers, into .cache/bench/build), then runs every
# measurement of BENCHMARKS.md against the sandbox on 127.0.0.1 and rewrites BENCHMARKS.md.
# Runs on Node 24 (what n8n 2.x runs on; installed into .cache by scripts/ensure-node24.sh), or on
# the machine's Node when that cannot be had. BENCH_SKIP_BUILD=1 skips `npm run build`. Ends with
# scripts/queue-bench.sh (its own section of BENCHMARKS.md, in a real n8n).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NODE="node"
if NODE_DIR="$(bash scripts/ensure-node24.sh 2>/dev/null)"; then
	NODE="$NODE_DIR/node"
else
	echo "bench: Node 24 not available, running on $(node -v)" >&2
fi

if [[ -z "${BENCH_SKIP_BUILD:-}" ]]; then
	npm run build >&2
fi
rm -rf .cache/bench/build
npx tsc -p bench/tsconfig.json
BENCH_ROOT="$ROOT" "$NODE" .cache/bench/build/bench/main.js "$@"
# n8n's queue mode and one n8n process (bench/queue.ts; not with --only, which picks sections above)
if [[ " $* " != *" --only="* ]]; then
	BENCH_SKIP_BUILD=1 bash scripts/queue-bench.sh "$@"
fi
