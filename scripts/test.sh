#!/usr/bin/env bash
# `npm test`: build, lint, unit + in-process tests, end-to-end tests in a real n8n, in that order,
# stopping at the first failure. Ends with one plain line "N passed, N failed" summing the jest
# results of both suites (a failed step with no failed test, such as the build or lint, counts as
# one failed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RESULTS="$ROOT/.cache/test-results"
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
T0=$(date +%s)
CURRENT=""

step() {
	CURRENT="$1"
	echo
	echo "=== $1 ($(($(date +%s) - T0)) s) ==="
}

summary() {
	local status=$?
	set +e
	echo
	if [[ $status -ne 0 ]]; then
		echo "=== FAILED: $CURRENT (exit $status) after $(($(date +%s) - T0)) s ==="
	else
		echo "=== all steps passed in $(($(date +%s) - T0)) s ==="
	fi
	RESULTS="$RESULTS" STATUS="$status" node -e '
		const fs = require("fs");
		const path = require("path");
		const dir = process.env.RESULTS;
		let passed = 0, failed = 0;
		for (const f of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
			if (!f.endsWith(".json")) continue;
			try {
				const r = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
				passed += r.numPassedTests;
				// a suite that failed to run (syntax error, failing beforeAll) has no failed test
				failed += r.numFailedTests + (r.numRuntimeErrorTestSuites || 0);
			} catch (e) {
				failed += 1;
			}
		}
		// a failed step with no failed test to show for it (build, lint, setup) counts as one failure
		if (process.env.STATUS !== "0" && failed === 0) failed = 1;
		console.log(`${passed} passed, ${failed} failed`);
	'
	exit $status
}
trap summary EXIT

if [[ ! -x node_modules/.bin/n8n-node || ! -x node_modules/.bin/jest ]]; then
	step "install the dev dependencies (npm ci)"
	# --ignore-scripts: a plugin of @n8n/node-cli has a preinstall that insists on pnpm.
	npm ci --ignore-scripts --no-audit --no-fund
fi

step "build"
npm run build

step "lint (n8n-node lint on the package source, scripts/lint.sh)"
bash scripts/lint.sh

step "n8n's community package scanner (source and packed tarball)"
node scripts/scan.mjs

step "unit and in-process tests (jest, on Node 24 like n8n 2.x)"
bash scripts/test-unit.sh --json --outputFile="$RESULTS/unit.json"

step "end-to-end tests in a real n8n (scripts/e2e.sh)"
E2E_SKIP_BUILD=1 bash scripts/e2e.sh --json --outputFile="$RESULTS/e2e.json"
