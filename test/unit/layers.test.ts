/**
 * The layers of the package look only down: the nodes use the API layer (nodes/shared/api), the
 * API layer uses the transport (nodes/shared/transport), and the transport knows requests and
 * answers, not node parameters. Checked on the imports of every source file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '../..');

function sourceFiles(dir: string): string[] {
	return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(file);
		return entry.name.endsWith('.ts') ? [file] : [];
	});
}

const files = [...sourceFiles('nodes'), ...sourceFiles('credentials')];

/** The files a source file imports, as paths from the repository root (without extension). */
function importsOf(file: string): string[] {
	const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
	return [...text.matchAll(/from '(\.[^']*)'/g)].map((m) => path.join(path.dirname(file), m[1]));
}

const inside = (file: string, folder: string) => file === folder || file.startsWith(`${folder}/`);

/** Every import from a file in `from` to a file in `to`, as "importer → imported". */
function importsBetween(from: (file: string) => boolean, to: (imported: string) => boolean): string[] {
	return files.filter(from).flatMap((file) => importsOf(file).filter(to).map((imported) => `${file} → ${imported}`));
}

test('there are source files to check', () => {
	expect(files.length).toBeGreaterThan(80);
	expect(files.filter((f) => inside(f, 'nodes/shared')).length).toBeGreaterThan(10);
});

test("what all nodes share (nodes/shared) imports nothing of a node's own folder", () => {
	expect(importsBetween((f) => inside(f, 'nodes/shared'), (i) => !inside(i, 'nodes/shared'))).toEqual([]);
});

test('the triggers import nothing of the action node: what they share with it is in nodes/shared', () => {
	const trigger = (f: string) => inside(f, 'nodes/IdentomatTrigger') || inside(f, 'nodes/IdentomatCallbackTrigger');
	expect(importsBetween(trigger, (i) => inside(i, 'nodes/Identomat'))).toEqual([]);
});

test('the transport does not reach up into the API layer', () => {
	expect(importsBetween((f) => inside(f, 'nodes/shared/transport'), (i) => inside(i, 'nodes/shared/api'))).toEqual([]);
});

test('outside the transport, everything goes through its front (transport/index.ts)', () => {
	const deep = (i: string) => inside(i, 'nodes/shared/transport') && i !== 'nodes/shared/transport' && i !== 'nodes/shared/transport/index';
	expect(importsBetween((f) => !inside(f, 'nodes/shared/transport'), deep)).toEqual([]);
});

test('only the API layer calls the transport: the nodes call endpoints by name', () => {
	const callers = files.filter((f) => !inside(f, 'nodes/shared')).filter((f) =>
		/\b(callIdentomat|callIdentomatDated|downloadIdentomatFile)\b/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')),
	);
	expect(callers).toEqual([]);
});

test('the transport and the API layer read no node parameter', () => {
	const readers = files
		.filter((f) => inside(f, 'nodes/shared'))
		.filter((f) => /getNodeParameter|getInputData/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
	expect(readers).toEqual([]);
});
