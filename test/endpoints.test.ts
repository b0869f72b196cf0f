/**
 * The endpoint declarations (nodes/shared/api/endpoints.ts) against everything that has to agree
 * with them: the operations, the source of the nodes, the calls the transport makes, and what
 * Identomat receives when a call fails on the way.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { callFor } from '../nodes/shared/api/call';
import { ENDPOINTS, type EndpointName } from '../nodes/shared/api/endpoints';
import { resources } from '../nodes/Identomat/actions/resources';
import { operationKeys, samplesFor } from './helpers/samples';
import { requestsTo, runOperation, sandboxForFile } from './helpers/sandbox';

const names = Object.keys(ENDPOINTS) as EndpointName[];
const operations = Object.values(resources).flatMap((resource) =>
	Object.values(resource.operations).map((module) => ({
		key: `${resource.value}/${module.option.value}`,
		endpoint: module.endpoint,
	})),
);

test('every declared endpoint is the endpoint of exactly one operation, and every operation names one', () => {
	expect(operations.map((o) => o.key).sort()).toEqual(operationKeys().sort());
	expect(operations.map((o) => o.endpoint).sort()).toEqual([...names].sort());
});

test("each host's paths follow its dialect, and no two endpoints share one", () => {
	for (const name of names) {
		const { host, path: endpointPath } = ENDPOINTS[name];
		expect(`${name}: ${endpointPath}`).toMatch(host === 'widget' ? /: [a-z][a-z/-]*\/$/ : /: [a-z][a-z-]*[a-z]$/);
	}
	const places = names.map((name) => `${ENDPOINTS[name].host} ${ENDPOINTS[name].path}`);
	expect(new Set(places).size).toBe(names.length);
});

test('only what changes nothing is tried again: every write is sent once', () => {
	for (const name of names) {
		const { effect, retry } = ENDPOINTS[name];
		expect(`${name}: ${retry}`).toBe(`${name}: ${effect === 'reads' ? 'safe' : 'never'}`);
	}
});

test('a call carries what its declaration says: the host, the path, the session field, files, retry', () => {
	const upload = { field: 'image', data: Buffer.from('x'), fileName: 'x.jpg', mimeType: 'image/jpeg' };
	for (const name of names) {
		const endpoint = ENDPOINTS[name];
		const request = {
			...(endpoint.session && { sessionId: 's'.repeat(40) }),
			...(endpoint.body === 'multipart' && { files: [upload] }),
		};
		const call = callFor(name, request);
		expect(call).toMatchObject({ host: endpoint.host, path: endpoint.path, readOnly: endpoint.retry === 'safe' });
		if (endpoint.session) expect(call.fields).toEqual({ [endpoint.host === 'widget' ? 'session_token' : 'sessionId']: 's'.repeat(40) });
		// what the declaration does not take is refused, not sent
		if (!endpoint.session) expect(() => callFor(name, { ...request, sessionId: 'x' })).toThrow('a session ID is not taken');
		else expect(() => callFor(name, {})).toThrow('a session ID is required');
		if (endpoint.body === 'json') expect(() => callFor(name, { ...request, files: [upload] })).toThrow(/multipart/);
		else expect(() => callFor(name, { ...request, files: [] })).toThrow(/multipart/);
	}
});

/** The package's TypeScript source outside the declarations. */
function sourceFiles(dir: string): string[] {
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const file = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(file);
		return entry.name.endsWith('.ts') ? [file] : [];
	});
}

test('no endpoint path is written anywhere in nodes/ or credentials/ but in the declarations', () => {
	const root = path.join(__dirname, '..');
	const declarations = path.join(root, 'nodes/shared/api/endpoints.ts');
	const files = [...sourceFiles(path.join(root, 'nodes')), ...sourceFiles(path.join(root, 'credentials'))].filter(
		(file) => file !== declarations,
	);
	expect(files.length).toBeGreaterThan(50);
	const found: string[] = [];
	for (const file of files) {
		const text = fs.readFileSync(file, 'utf8');
		for (const name of names) {
			const { path: endpointPath } = ENDPOINTS[name];
			// as a string, a path segment or a code span: `'list-users'`, `/list-users`, `` `result/` ``
			const written = new RegExp(`['"\`/]${endpointPath.replace(/[/-]/g, '\\$&')}(?![a-z-])`);
			if (written.test(text)) found.push(`${path.relative(root, file)}: ${endpointPath}`);
		}
	}
	expect(found).toEqual([]);
});

describe('a call that fails on the way is sent again only where its declaration says it is safe', () => {
	const sb = sandboxForFile();
	const samples = samplesFor(sb);

	test.each(operations.map((o) => [o.key, o.endpoint]))('%s (%s)', async (key, name) => {
		const [resource, operation] = key.split('/');
		const { host, path: endpointPath, retry } = ENDPOINTS[name as EndpointName];
		const sample = samples[key];
		const parameters = sample.parameters?.(sb);
		const input = await sample.items?.();
		// Identomat is overloaded once: the answer says nothing of whether the request was done.
		sb.faults.add({ host, path: endpointPath, kind: 'status', status: 503, times: 1 });
		const run = runOperation(sb, resource, operation, parameters, { input });
		if (retry === 'safe') {
			const [output] = await run;
			expect(output.length).toBeGreaterThan(0);
			expect(requestsTo(sb, endpointPath)).toHaveLength(2);
		} else {
			await expect(run).rejects.toThrow(/not available right now.*HTTP 503/);
			expect(requestsTo(sb, endpointPath)).toHaveLength(1);
		}
	});
});
