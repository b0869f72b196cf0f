// n8n's official community-package scanner (@n8n/scan-community-package, its exported
// analyzePackage), run locally on the source and on the packed tarball, as n8n does before
// verifying a package. Exits non-zero on any violation.
//
// The scanner lints with its own rule set: the @n8n/eslint-plugin-community-nodes it depends on
// (0.29.0 for scanner 0.32.0, older than the 0.32.0 of @n8n/node-cli 0.48.3 that `n8n-node lint`
// uses) and eslint-plugin-n8n-nodes-base, with inline `eslint-disable` comments ignored. So a
// package can pass `n8n-node lint` and fail the scanner; scripts/lint.sh runs both.
//   node scripts/scan.mjs                                  the source and the packed tarball
//   node scripts/scan.mjs --source [dir]                   the source only (dir: this package),
//     with the scanner's rule set; run by scripts/lint.sh
//   node scripts/scan.mjs --published <name>@<version>     a version on the npm registry, as n8n's
//     verification scans it (provenance, the attested source, the published tarball); run by
//     .github/workflows/publish.yml after `npm publish`
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import {
	analyzePackage,
	analyzePackageByName,
	resolvePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const work = mkdtempSync(path.join(tmpdir(), 'identomat-scan-'));

function report(label, result) {
	console.log(`${result.passed ? 'passed' : 'FAILED'}: scanner on the ${label}${result.message ? ` (${result.message})` : ''}`);
	if (!result.passed && result.details) console.log(result.details);
	return result.passed;
}

/** The rule set the scanner lints with, as `name version` (it resolves its own copy). */
function scannerRuleSet() {
	const scanner = createRequire(require.resolve('@n8n/scan-community-package/scanner/scanner.mjs'));
	const plugin = '@n8n/eslint-plugin-community-nodes';
	const pkg = path.join(scanner.resolve(plugin).split(`${plugin}${path.sep}`)[0], plugin, 'package.json');
	return `${plugin} ${JSON.parse(readFileSync(pkg, 'utf8')).version}`;
}

const sourceOnly = process.argv.indexOf('--source');
if (sourceOnly !== -1) {
	const dir = path.resolve(process.argv[sourceOnly + 1] ?? root);
	const ok = report(`source (its rule set: ${scannerRuleSet()})`, await analyzePackage(dir, SOURCE_FILE_PATTERNS));
	process.exit(ok ? 0 : 1);
}

const published = process.argv.indexOf('--published');
if (published !== -1) {
	// The scanner (0.32.0) asks `https://registry.npmjs.org//<name>`, which the registry refuses
	// (400 "Path separator ambiguity not permitted"): drop the doubled slash on its HTTP client
	// (the scanner imports the same hoisted axios as this script).
	const { default: axios } = await import('axios');
	axios.interceptors.request.use((config) => ({ ...config, url: config.url?.replace(/^(https:\/\/[^/]+)\/\/+/, '$1/') }));
	const { packageName, version } = resolvePackage(process.argv[published + 1] ?? '');
	const ok = report(`published ${packageName}@${version}`, await analyzePackageByName(packageName, version));
	process.exit(ok ? 0 : 1);
}

try {
	const source = await analyzePackage(root, SOURCE_FILE_PATTERNS);
	execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
	const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
	execFileSync('tar', ['xzf', path.join(work, tarball), '-C', work]);
	const packed = await analyzePackage(path.join(work, 'package'));
	const ok = [report('source', source), report(`packed tarball ${tarball}`, packed)].every(Boolean);
	process.exitCode = ok ? 0 : 1;
} finally {
	rmSync(work, { recursive: true, force: true });
}
