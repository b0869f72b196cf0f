/**
 * Our credential in n8n's own HTTP Request node ("Predefined Credential Type" → Identomat API), in
 * a real n8n 2.41.1 with the packed package: the credential's `authenticate` adds the company key
 * where each Identomat host wants it and, with an HMAC secret, signs the exact bytes the HTTP
 * Request node sends. Checked on both hosts, with and without HMAC, against the sandbox.
 *
 * "Allowed HTTP Request Domains": n8n 2.41.1 adds this field to every credential type with an
 * `authenticate` method (n8n-workflow's credential-domain-restrictions). Its default is "All", and
 * a credential saved without the field (imported, or created through the API) counts as "All" too:
 * nothing is blocked by default. "Specific Domains" must list the hosts of the credential's base
 * URLs; "None" blocks the credential in the HTTP Request node but not in the Identomat node.
 */
import * as path from 'node:path';

import { createN8n, disposeAll, n8nVersion, packageTarball, ROOT, type ExecuteResult, type N8nInstance } from '../../harness/n8n';

import { type Sandbox, sandboxForFile } from '../helpers/sandbox';

const SECRET = 'http-request-hmac-secret';

// One execution in beforeAll; the tests read what each sandbox received from it.
const plain = sandboxForFile({ resetBeforeEach: false });
const hmac = sandboxForFile({ secretKey: SECRET, resetBeforeEach: false });
let n8n: N8nInstance;
let result: ExecuteResult;
let plainSession: string;
let hmacSession: string;

const CREDENTIALS = {
	plain: { id: 'http-plain', name: 'Identomat (plain key)' },
	hmac: { id: 'http-hmac', name: 'Identomat (HMAC)' },
	ownHosts: { id: 'http-own-hosts', name: 'Identomat (allowed: 127.0.0.1)' },
	otherHosts: { id: 'http-other-hosts', name: 'Identomat (allowed: identomat.com only)' },
	none: { id: 'http-none', name: 'Identomat (allowed: none)' },
	identomatNodeNone: { id: 'http-node-none', name: 'Identomat (allowed: none, used by the Identomat node)' },
};

function credentialData(sb: Sandbox, extra: Record<string, string> = {}) {
	return { apiKey: sb.companyKey, widgetBaseUrl: sb.widgetBaseUrl, apiBaseUrl: sb.apiBaseUrl, ...extra };
}

/** An HTTP Request node with our credential, POSTing a JSON body; failures become items (onError). */
function httpRequest(name: string, y: number, credential: { id: string; name: string }, url: string, body: object) {
	return {
		id: `http-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
		name,
		type: 'n8n-nodes-base.httpRequest',
		typeVersion: 4.2,
		position: [300, y],
		onError: 'continueRegularOutput',
		parameters: {
			method: 'POST',
			url,
			authentication: 'predefinedCredentialType',
			nodeCredentialType: 'identomatApi',
			sendBody: true,
			specifyBody: 'json',
			jsonBody: JSON.stringify(body),
			options: {},
		},
		credentials: { identomatApi: credential },
	};
}

const search = (fullName: string) => ({ query: { fullName, scoreThreshold: 80 } });

function workflow() {
	const nodes = [
		{ id: 'http-manual', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
		httpRequest('Search, plain key', 0, CREDENTIALS.plain, `${plain.apiBaseUrl}/search-screening-person`, search('John Doe Smith')),
		httpRequest('Result, plain key', 150, CREDENTIALS.plain, `${plain.widgetBaseUrl}/result/`, { session_token: plainSession }),
		httpRequest('Search, HMAC', 300, CREDENTIALS.hmac, `${hmac.apiBaseUrl}/search-screening-person`, search('Maria Elena Gonzalez')),
		httpRequest('Result, HMAC', 450, CREDENTIALS.hmac, `${hmac.widgetBaseUrl}/result/`, { session_token: hmacSession }),
		httpRequest('Allowed: 127.0.0.1', 600, CREDENTIALS.ownHosts, `${plain.apiBaseUrl}/search-screening-person`, search('Ivan Petrovich Sidorov')),
		httpRequest('Allowed: identomat.com only', 750, CREDENTIALS.otherHosts, `${plain.apiBaseUrl}/search-screening-person`, search('Ahmed Al Rashid')),
		httpRequest('Allowed: none', 900, CREDENTIALS.none, `${plain.apiBaseUrl}/search-screening-person`, search('Vladimir Vladimirovich PUTIN')),
		httpRequest('Another address', 1050, CREDENTIALS.plain, `${plain.url}/elsewhere/search-screening-person`, search('John Doe Smith')),
		{
			id: 'http-identomat-node',
			name: 'Identomat node, allowed: none',
			type: 'n8n-nodes-identomat.identomat',
			typeVersion: 1,
			position: [300, 1200],
			parameters: { resource: 'screening', operation: 'search', fullName: 'Maria Elena Gonzalez', scoreThreshold: 80, returnAll: false, limit: 1, options: {} },
			credentials: { identomatApi: CREDENTIALS.identomatNodeNone },
		},
	];
	const next = nodes.slice(1).map((n) => ({ node: n.name, type: 'main', index: 0 }));
	return { id: 'e2eHttpRequest01', name: 'E2E: our credential in the HTTP Request node', nodes, connections: { Start: { main: [next] } }, settings: { executionOrder: 'v1' } };
}

/** The message of the failure a node turned into an item (On Error: Continue): a string or an error object. */
function failureMessage(nodeName: string): string {
	const { error } = result.items(nodeName)[0].json;
	return typeof error === 'string' ? error : error?.message;
}

/** The requests a sandbox received for a screening search of `fullName`. */
const searchesFor = (sb: Sandbox, fullName: string) =>
	sb.requests.filter((r: any) => r.path === 'search-screening-person' && r.fields?.query?.fullName === fullName);

beforeAll(async () => {
	plainSession = plain.createCompletedSession({});
	hmacSession = hmac.createCompletedSession({});
	n8n = await createN8n({ major: 2, packageTarball: packageTarball() });
	await n8n.importCredentials([
		{ ...CREDENTIALS.plain, type: 'identomatApi', data: credentialData(plain) },
		{ ...CREDENTIALS.hmac, type: 'identomatApi', data: credentialData(hmac, { secretKey: SECRET }) },
		{ ...CREDENTIALS.ownHosts, type: 'identomatApi', data: credentialData(plain, { allowedHttpRequestDomains: 'domains', allowedDomains: '127.0.0.1' }) },
		{
			...CREDENTIALS.otherHosts,
			type: 'identomatApi',
			data: credentialData(plain, { allowedHttpRequestDomains: 'domains', allowedDomains: 'widget.identomat.com, external-api.identomat.com' }),
		},
		{ ...CREDENTIALS.none, type: 'identomatApi', data: credentialData(plain, { allowedHttpRequestDomains: 'none' }) },
		{ ...CREDENTIALS.identomatNodeNone, type: 'identomatApi', data: credentialData(plain, { allowedHttpRequestDomains: 'none' }) },
	]);
	await n8n.importWorkflows([workflow()]);
	result = await n8n.execute('e2eHttpRequest01');
});

afterAll(async () => {
	await disposeAll();
});

describe(`our credential in n8n ${n8nVersion(2)}'s HTTP Request node`, () => {
	test('the workflow ran', () => {
		expect(result.error).toBeUndefined();
		expect(result.code).toBe(0);
	});

	test('n8n adds "Allowed HTTP Request Domains" to our credential, default All', () => {
		// n8n-workflow as the installed n8n ships it, applied to our built credential.
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const workflow = require(path.join(ROOT, `.cache/n8n-${n8nVersion(2)}/node_modules/n8n-workflow`));
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { IdentomatApi } = require(path.join(ROOT, 'dist/credentials/IdentomatApi.credentials.js'));
		const field = workflow.injectDomainRestrictionFields(new IdentomatApi()).find((p: any) => p.name === 'allowedHttpRequestDomains');
		expect(field).toMatchObject({ displayName: 'Allowed HTTP Request Domains', default: 'all' });
	});

	test('API host, plain key: the credential adds companyKey to the JSON body; the answer is the item', () => {
		const [item] = result.items('Search, plain key');
		expect(item.json.result[0]).toMatchObject({ name: 'John Doe Smith', score: 100 });
		const [request] = searchesFor(plain, 'John Doe Smith');
		expect(request).toMatchObject({ host: 'api', encoding: 'json', status: 200, signature: null });
		expect(request.fields.companyKey).toBe(plain.companyKey);
		expect(JSON.stringify(result.run)).not.toContain(plain.companyKey);
	});

	test('widget host, plain key: company_key in the body, the session result comes back', () => {
		const [item] = result.items('Result, plain key');
		expect(item.json).toMatchObject({ result: 'approved' });
		const request = plain.requests.find((r: any) => r.path === 'result/');
		expect(request).toMatchObject({ host: 'widget', encoding: 'json', status: 200 });
		expect(request.fields).toMatchObject({ company_key: plain.companyKey, session_token: plainSession });
		expect(request.fields).not.toHaveProperty('companyKey');
	});

	test('HMAC on: both hosts accept the signature over the bytes the HTTP Request node sent', () => {
		expect(result.items('Search, HMAC')[0].json.result[0]).toMatchObject({ name: 'Maria Elena Gonzalez', score: 100 });
		expect(searchesFor(hmac, 'Maria Elena Gonzalez')).toEqual([expect.objectContaining({ signature: 'valid', status: 200 })]);
		expect(result.items('Result, HMAC')[0].json).toMatchObject({ result: 'approved' });
		expect(hmac.requests.filter((r: any) => r.path === 'result/')).toEqual([expect.objectContaining({ signature: 'valid', status: 200 })]);
		expect(JSON.stringify(result.run)).not.toContain(SECRET);
	});

	test('"Allowed HTTP Request Domains": Specific Domains with the base URLs\' host works; other hosts or None are refused, and nothing is sent', () => {
		expect(result.items('Allowed: 127.0.0.1')[0].json.result[0]).toMatchObject({ name: 'Ivan Petrovich Sidorov' });
		expect(searchesFor(plain, 'Ivan Petrovich Sidorov')).toHaveLength(1);

		expect(failureMessage('Allowed: identomat.com only')).toMatch(
			/^Domain not allowed: This credential is restricted from accessing 127\.0\.0\.1:\d+\. Only the following domains are allowed: widget\.identomat\.com, external-api\.identomat\.com$/,
		);
		expect(searchesFor(plain, 'Ahmed Al Rashid')).toHaveLength(0);

		expect(failureMessage('Allowed: none')).toContain('This credential is configured to prevent use within an HTTP Request or GraphQL node');
		expect(searchesFor(plain, 'Vladimir Vladimirovich PUTIN')).toHaveLength(0);
	});

	test('None does not stop the Identomat node itself', () => {
		expect(result.items('Identomat node, allowed: none')[0].json).toMatchObject({ matches: [{ name: 'Maria Elena Gonzalez' }] });
		expect(searchesFor(plain, 'Maria Elena Gonzalez')).toHaveLength(1);
	});

	test('an address outside the base URLs never gets the key, and the message says what to do', () => {
		const error = failureMessage('Another address');
		expect(error).toContain('only sends its company key to the widget and API base URLs set in the credential');
		expect(plain.requests.some((r: any) => r.path.includes('elsewhere'))).toBe(false);
	});
});
