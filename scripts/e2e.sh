#!/usr/bin/env bash
# End-to-end tests in a real n8n: ensures Node 24 and the pinned n8n hosts (.cache/), builds and
# packs this package, then runs `jest -c jest.e2e.config.js` under Node 24 with
# E2E_PACKAGE_TARBALL pointing at the packed tarball. Extra arguments go to jest.
#   bash scripts/e2e.sh                      # everything
#   bash scripts/e2e.sh -t webhook           # a subset
# Environment: E2E_N8N_MAJORS="2 1" (hosts to prepare), E2E_SKIP_BUILD=1 (dist/ is fresh already).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

fail() {
	echo "e2e.sh: $*" >&2
	exit 1
}

t0=$(date +%s)
NODE24_DIR="$(bash scripts/ensure-node24.sh)"
bash scripts/ensure-chromium.sh
bash scripts/queue-ensure-services.sh
for major in ${E2E_N8N_MAJORS:-2 1}; do
	t=$(date +%s)
	bin="$(bash scripts/ensure-n8n.sh "$major")"
	echo "e2e.sh: n8n $major.x at $bin ($(($(date +%s) - t)) s)"
done

# The package under test, built and packed exactly as it would be published.
if [[ -z "${E2E_SKIP_BUILD:-}" ]]; then
	npm run build || fail "npm run build failed: no package to test"
fi
node -e '
	const pkg = require("./package.json");
	const fs = require("fs");
	const files = [...(pkg.n8n?.nodes ?? []), ...(pkg.n8n?.credentials ?? [])];
	if (!files.length) { console.error("package.json lists no n8n nodes or credentials"); process.exit(1); }
	const missing = files.filter((f) => !fs.existsSync(f));
	if (missing.length) { console.error("not built: " + missing.join(", ")); process.exit(1); }
' || fail "the build did not produce the files package.json's \"n8n\" section lists"
# A folder of this run's own, so a demo or another run packing at the same time cannot swap it.
PACK_DIR="$ROOT/.cache/pack/e2e-$$"
rm -rf "$PACK_DIR"
mkdir -p "$PACK_DIR"
trap 'rm -rf "$PACK_DIR"' EXIT
TARBALL_NAME="$(npm pack --silent --pack-destination "$PACK_DIR" | tail -n 1)"
TARBALL="$PACK_DIR/$TARBALL_NAME"
[[ -f "$TARBALL" ]] || fail "npm pack produced no tarball"
node -e '
	const { execFileSync } = require("child_process");
	const listed = new Set(execFileSync("tar", ["-tzf", process.argv[1]], { encoding: "utf8" }).split("\n"));
	const pkg = require("./package.json");
	const missing = [...pkg.n8n.nodes, ...pkg.n8n.credentials].filter((f) => !listed.has("package/" + f));
	if (missing.length) { console.error("missing from the tarball: " + missing.join(", ")); process.exit(1); }
' "$TARBALL" || fail "the packed tarball lacks files package.json's \"n8n\" section lists"
echo "e2e.sh: packed $TARBALL ($(du -k "$TARBALL" | cut -f1) KiB); setup took $(($(date +%s) - t0)) s"

export E2E_PACKAGE_TARBALL="$TARBALL"
export PATH="$NODE24_DIR:$PATH"
npx jest -c jest.e2e.config.js "$@"
