#!/usr/bin/env bash
# `npm run test:unit`: the unit and in-process tests (jest.config.js) on Node 24, as n8n 2.x runs
# and as `npm test` runs them (the machine's own node may be older). Extra arguments go to jest:
#   npm run test:unit                                        # all of them, a minute or two
#   npm run test:unit -- test/operations/session.test.ts     # one file
#   npm run test:unit -- -t "Session → Create"               # tests by name
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

NODE24_DIR="$(bash scripts/ensure-node24.sh)"
PATH="$NODE24_DIR:$PATH" exec npx jest "$@"
