#!/usr/bin/env bash
# `npm run bench [-- --quick]`: builds the package (dist, for the package figures) and the bench
# (bench/*.ts with the node sources and harness/, into .cache/bench/build), then runs every
# measurement of BENCHMARKS.md against the sandbox on 127.0.0.1 and rewrites BENCHMARKS.md.
# Runs on Node 24 (what n8n 2.x runs on; installed into .cache by scripts/ensure-node24.sh), which
# also runs the sandbox from its TypeScript source. BENCH_SKIP_BUILD=1 skips `npm run build`. Ends with
# scripts/queue-bench.sh (its own section of BENCHMARKS.md, in a real n8n).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NODE="$(bash scripts/ensure-node24.sh)/node"

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
