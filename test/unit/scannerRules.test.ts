/**
 * `npm run lint` also lints the source with the rule set of n8n's scanner (scripts/scan.mjs
 * --source), which is what n8n's verification runs: it ignores inline `eslint-disable` comments,
 * which `n8n-node lint` honours. Here the check runs on a copy of the package source, once as it
 * is and once with a `console.log` hidden behind such a comment.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../..');
const SCAN = path.join(ROOT, 'scripts/scan.mjs');

async function scanSource(dir: string): Promise<{ code: number; output: string }> {
	try {
		// Without jest's NODE_ENV=test, under which eslint-plugin-n8n-nodes-base treats every file as a node file.
		const { NODE_ENV, ...env } = process.env;
		const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCAN, '--source', dir], { env });
		return { code: 0, output: stdout + stderr };
	} catch (error) {
		const e = error as { code: number; stdout: string; stderr: string };
		return { code: e.code, output: e.stdout + e.stderr };
	}
}

let copy: string;

beforeAll(() => {
	copy = fs.mkdtempSync(path.join(os.tmpdir(), 'identomat-scanner-rules-'));
	for (const entry of ['package.json', 'nodes', 'credentials', 'icons']) {
		fs.cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
	}
});

afterAll(() => fs.rmSync(copy, { recursive: true, force: true }));

test("the package source passes the scanner's rule set, and the check names that rule set", async () => {
	const { code, output } = await scanSource(copy);
	expect(output).toMatch(/passed: scanner on the source \(its rule set: @n8n\/eslint-plugin-community-nodes \d+\.\d+\.\d+\)/);
	expect(code).toBe(0);
}, 60_000);

test('an eslint-disable comment does not hide a finding from the scanner rule set', async () => {
	const file = path.join(copy, 'nodes/Identomat/Identomat.node.ts');
	fs.appendFileSync(file, '\n// eslint-disable-next-line no-console\nconsole.log("hidden from n8n-node lint");\n');
	const { code, output } = await scanSource(copy);
	expect(output).toContain('FAILED: scanner on the source');
	expect(output).toContain('no-console');
	expect(code).toBe(1);
}, 60_000);
