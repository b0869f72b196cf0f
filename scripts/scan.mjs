// n8n's official community-package scanner (@n8n/scan-community-package, its exported
// analyzePackage), run locally on the source and on the packed tarball, as n8n does before
// verifying a package. Exits non-zero on any violation.
//   node scripts/scan.mjs                                  the source and the packed tarball
//   node scripts/scan.mjs --published <name>@<version>     a version on the npm registry, as n8n's
//     verification scans it (provenance, the attested source, the published tarball); run by
//     .github/workflows/publish.yml after `npm publish`
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
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
const work = mkdtempSync(path.join(tmpdir(), 'identomat-scan-'));

function report(label, result) {
	console.log(`${result.passed ? 'passed' : 'FAILED'}: scanner on the ${label}${result.message ? ` (${result.message})` : ''}`);
	if (!result.passed && result.details) console.log(result.details);
	return result.passed;
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
