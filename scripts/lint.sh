#!/usr/bin/env bash
# `npm run lint`: n8n-node lint (strict mode, the CLI's eslint config unchanged) over what the
# package ships, then the same source with the rule set of n8n's scanner (scripts/scan.mjs
# --source: an older @n8n/eslint-plugin-community-nodes, inline eslint-disable comments ignored),
# which is what n8n's verification lints with. n8n-node lint runs `eslint .`, and its config applies the community-node rules
# (no fs, no process …) to every .ts file, the tests too; so it runs on a copy of the package
# source beside the real node_modules. Extra arguments (e.g. --fix) are passed on; with --fix
# the fixed files are copied back. Last, the sandbox's types (tsc --noEmit, sandbox/tsconfig.json).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LINT_DIR="$ROOT/.cache/lint"
SHIPPED=(package.json eslint.config.mjs tsconfig.json nodes credentials icons)

rm -rf "$LINT_DIR"
mkdir -p "$LINT_DIR"
for entry in "${SHIPPED[@]}"; do cp -R "$ROOT/$entry" "$LINT_DIR/"; done
ln -s "$ROOT/node_modules" "$LINT_DIR/node_modules"
status=0
(cd "$LINT_DIR" && npx n8n-node lint "$@") || status=$?
if [[ " $* " == *" --fix "* ]]; then
	cp -R "$LINT_DIR/nodes" "$LINT_DIR/credentials" "$ROOT/"
fi
if [[ $status -ne 0 ]]; then
	echo "(paths above are copies: .cache/lint/<path> is <path> in the repository)"
fi
node "$ROOT/scripts/scan.mjs" --source || status=$?
# The sandbox runs as Node strips it, uncompiled: its types are checked here.
(cd "$ROOT" && npx tsc -p sandbox/tsconfig.json) || status=$?
exit $status
