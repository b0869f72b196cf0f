/**
 * The Identomat API credential: the key goes where each host expects it, in every body encoding n8n
 * sends (including the legacy ones n8n's HTTP Request node uses), requests are signed over the exact
 * bytes sent when an HMAC secret is set, and the key never goes to a foreign address nor over plain
 * http:// to another machine. In n8n's HTTP Request node, a 307 redirect sends the key on to
 * another host unless the credential's Allowed HTTP Request Domains is Specific Domains.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IHttpRequestOptions } from 'n8n-workflow';
import { HttpRequest } from 'n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node';

import { IdentomatApi } from '../credentials/IdentomatApi.credentials';
import { itemWithFile, runNode, useBinaryMode } from '../harness/runner';
import { credentialsOf, failureOf, runOperation, type Sandbox, sandboxForFile } from './helpers/sandbox';

const credential = new IdentomatApi();

async function send(request: IHttpRequestOptions) {
	const url = request.baseURL ? `${request.baseURL}${request.url}` : request.url;
	return await fetch(url, {
		method: request.method ?? 'POST',
		headers: request.headers as Record<string, string>,
		body: request.body as BodyInit,
	});
}

function lastRequest(sb: Sandbox) {
	return sb.requests[sb.requests.length - 1];
}

describe.each([
	['plain key', undefined],
	['HMAC key', 'sandbox-hmac-secret-0123456789'],
] as const)('credential with a %s', (_label, secretKey) => {
	const sb = sandboxForFile({ secretKey });
	let creds: ReturnType<typeof credentialsOf>;

	beforeAll(async () => {
		creds = credentialsOf(sb);
		await useBinaryMode('default');
	});

	const expectSigned = (sbRequest: { signature: string | null }) =>
		expect(sbRequest.signature).toBe(secretKey ? 'valid' : null);

	test('JSON body to the widget host carries company_key', async () => {
		const request = await credential.authenticate(creds, { method: 'POST', url: `${sb.widgetBaseUrl}/begin/`, body: {} });
		const response = await send(request);
		expect(await response.json()).toMatch(/^[0-9a-z]{40}$/);
		const received = lastRequest(sb);
		expect(received).toMatchObject({ host: 'widget', path: 'begin/', encoding: 'json' });
		expect(received.fields.company_key).toBe(sb.companyKey);
		expect(received.fields.companyKey).toBeUndefined();
		expectSigned(received);
	});

	test('JSON body to the API host carries companyKey', async () => {
		const request = await credential.authenticate(creds, { method: 'POST', url: `${sb.apiBaseUrl}/list-groups`, body: {} });
		const response = await send(request);
		expect((await response.json()).result).toEqual(expect.any(Array));
		const received = lastRequest(sb);
		expect(received).toMatchObject({ host: 'api', path: 'list-groups', encoding: 'json' });
		expect(received.fields.companyKey).toBe(sb.companyKey);
		expect(received.fields.company_key).toBeUndefined();
		expectSigned(received);
	});

	test.each([
		['URLSearchParams', () => new URLSearchParams({ session_token: 'x' })],
		['url-encoded string', () => 'session_token=x'],
	])('%s body to the widget host', async (_name, body) => {
		const request = await credential.authenticate(creds, { method: 'POST', url: `${sb.widgetBaseUrl}/result/`, body: body() });
		await send(request);
		const received = lastRequest(sb);
		expect(received).toMatchObject({ encoding: 'urlencoded', status: 200 });
		expect(received.fields).toMatchObject({ company_key: sb.companyKey, session_token: 'x' });
		expectSigned(received);
	});

	test('FormData body with a file: key first, chained signature', async () => {
		const form = new FormData();
		form.append('image', new Blob([new Uint8Array(sb.fixtures['card-front.jpg'])], { type: 'image/jpeg' }), 'front.jpg');
		const request = await credential.authenticate(creds, { method: 'POST', url: `${sb.widgetBaseUrl}/card/front/`, body: form });
		const response = await send(request);
		expect(await response.json()).toHaveProperty('person');
		const received = lastRequest(sb);
		expect(received.encoding).toBe('multipart');
		expect(received.fields.company_key).toBe(sb.companyKey);
		expect(received.files[0]).toMatchObject({ field: 'image', size: sb.fixtures['card-front.jpg'].length });
		expectSigned(received);
	});

	test('a GET with a query string carries the key in the query', async () => {
		const request = await credential.authenticate(creds, { method: 'GET', url: `${sb.widgetBaseUrl}/result/`, qs: { session_token: 'x' } });
		await send(request);
		const received = lastRequest(sb);
		expect(received.encoding).toBe('query');
		expect(received.fields).toMatchObject({ company_key: sb.companyKey, session_token: 'x' });
		expectSigned(received);
	});

	test('the key is never sent to another address', async () => {
		await expect(
			credential.authenticate(creds, { method: 'POST', url: 'https://example.com/collect', body: {} }),
		).rejects.toThrow('only sends its company key to the widget and API base URLs');
	});

	describe('the key travels encrypted: base URLs are https://, plain http:// only to this machine', () => {
		test.each([
			['Widget API Base URL', 'widgetBaseUrl', 'http://example.com/external-api'],
			['API Base URL', 'apiBaseUrl', 'http://example.com'],
		])('a plain http:// "%s" to another machine is refused, and nothing is sent', async (field, name, base) => {
			const before = sb.requests.length;
			const url = `${name === 'apiBaseUrl' ? base : creds.apiBaseUrl}/list-groups`;
			await expect(credential.authenticate({ ...creds, [name]: base }, { method: 'POST', url, body: {} })).rejects.toThrow(
				`The "${field}" of this Identomat credential is http://example.com, plain http://, where anyone on the way could read the company key. Change it to https://`,
			);
			expect(sb.requests.length).toBe(before);
		});

		test.each(['http://127.0.0.1:8484', 'http://localhost:8484', 'http://[::1]:8484', 'https://example.com'])(
			'%s is accepted',
			async (base) => {
				const request = await credential.authenticate(
					{ ...creds, widgetBaseUrl: `${base}/external-api`, apiBaseUrl: base },
					{ method: 'POST', url: `${base}/list-groups`, body: {} },
				);
				expect(JSON.parse(request.body as string)).toEqual({ companyKey: sb.companyKey });
			},
		);

		test('the sandbox on http://127.0.0.1 answers as before', async () => {
			expect(creds.apiBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:/);
			const request = await credential.authenticate(creds, { method: 'POST', url: `${creds.apiBaseUrl}/list-groups`, body: {} });
			expect((await (await send(request)).json()).result).toEqual(expect.any(Array));
		});

		test('the Identomat node with such a credential says which base URL to change, and sends nothing', async () => {
			const error = await failureOf(
				runOperation(sb, 'session', 'getResult', { sessionId: 's'.repeat(40) }, { credentials: { widgetBaseUrl: 'http://example.com/external-api' } }),
			);
			expect(error.message).toContain('The "Widget API Base URL" of this Identomat credential is http://example.com, plain http://');
			expect(sb.requests).toHaveLength(0);
		});
	});

	describe("n8n's HTTP Request node with this credential", () => {
		const httpRequest = new HttpRequest().getNodeType(4.2);
		const run = (parameters: Record<string, unknown>, items?: Parameters<typeof runNode>[0]['items']) =>
			runNode({
				nodeType: httpRequest,
				typeName: 'n8n-nodes-base.httpRequest',
				typeVersion: 4.2,
				credentialType: 'identomatApi',
				credentials: creds,
				items,
				parameters: {
					method: 'POST',
					authentication: 'predefinedCredentialType',
					nodeCredentialType: 'identomatApi',
					sendBody: true,
					options: {},
					...parameters,
				},
			});

		test('JSON body: lists groups on the API host', async () => {
			const [[item]] = await run({ url: `${sb.apiBaseUrl}/list-groups`, contentType: 'json', specifyBody: 'keypair', bodyParameters: { parameters: [{ name: 'unused', value: '1' }] } });
			expect(item.json.result).toEqual(expect.any(Array));
			const received = lastRequest(sb);
			expect(received).toMatchObject({ path: 'list-groups', encoding: 'json', status: 200 });
			expect(received.fields.companyKey).toBe(sb.companyKey);
			expectSigned(received);
		});

		test('form-urlencoded body: reads a session result on the widget host', async () => {
			const sessionId = sb.createCompletedSession({ result: 'approved' });
			const [[item]] = await run({
				url: `${sb.widgetBaseUrl}/result/`,
				contentType: 'form-urlencoded',
				bodyParameters: { parameters: [{ name: 'session_token', value: sessionId }] },
			});
			expect(item.json.result).toBe('approved');
			const received = lastRequest(sb);
			expect(received).toMatchObject({ path: 'result/', encoding: 'urlencoded' });
			expect(received.fields.company_key).toBe(sb.companyKey);
			expectSigned(received);
		});

		test('multipart body with a binary file: reads an ID card', async () => {
			const input = await itemWithFile({}, { data: { data: sb.fixtures['card-front.jpg'], fileName: 'front.jpg', mimeType: 'image/jpeg' } });
			const [[item]] = await run(
				{
					url: `${sb.widgetBaseUrl}/card/front/`,
					contentType: 'multipart-form-data',
					bodyParameters: { parameters: [{ parameterType: 'formBinaryData', name: 'image', inputDataFieldName: 'data' }] },
				},
				[input],
			);
			expect(item.json.person).toBeDefined();
			const received = lastRequest(sb);
			expect(received).toMatchObject({ path: 'card/front/', encoding: 'multipart' });
			expect(received.fields.company_key).toBe(sb.companyKey);
			expect(received.files[0].size).toBe(sb.fixtures['card-front.jpg'].length);
			expectSigned(received);
		});
	});
});

describe("n8n's HTTP Request node and a 307 redirect: Specific Domains keeps the key home", () => {
	// One server on 127.0.0.1 plays both parts: Identomat's address, which redirects with 307, and
	// the host the redirect names (reached as "localhost", another domain to n8n), which records what arrives.
	const KEY = 'redirect-test-company-key';
	const arrived: string[] = [];
	let server: http.Server;
	let port: number;

	beforeAll(async () => {
		server = http.createServer((req, res) => {
			let body = '';
			req.on('data', (chunk) => (body += chunk));
			req.on('end', () => {
				if (req.url?.startsWith('/api/')) {
					res.writeHead(307, { location: `http://localhost:${port}/collect` }).end();
				} else {
					arrived.push(body);
					res.writeHead(200, { 'content-type': 'application/json' }).end('{"collected": true}');
				}
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		port = (server.address() as AddressInfo).port;
	});
	afterAll(async () => await new Promise((resolve) => server.close(resolve)));
	beforeEach(() => (arrived.length = 0));

	const run = (restriction: Record<string, string>) =>
		runNode({
			nodeType: new HttpRequest().getNodeType(4.2),
			typeName: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			credentialType: 'identomatApi',
			credentials: {
				apiKey: KEY,
				widgetBaseUrl: `http://127.0.0.1:${port}/widget`,
				apiBaseUrl: `http://127.0.0.1:${port}/api`,
				...restriction,
			},
			parameters: {
				method: 'POST',
				url: `http://127.0.0.1:${port}/api/list-groups`,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: 'identomatApi',
				sendBody: true,
				contentType: 'json',
				specifyBody: 'keypair',
				bodyParameters: { parameters: [{ name: 'unused', value: '1' }] },
				options: {},
			},
		});

	test('with Allowed HTTP Request Domains on All, the body goes again to the new host, key included', async () => {
		await run({ allowedHttpRequestDomains: 'all' });
		expect(arrived).toHaveLength(1);
		expect(JSON.parse(arrived[0])).toMatchObject({ companyKey: KEY });
	});

	test('with Specific Domains set to the base URLs\' host, the redirect is refused and nothing arrives there', async () => {
		await expect(run({ allowedHttpRequestDomains: 'domains', allowedDomains: '127.0.0.1' })).rejects.toThrow(/not allowed/i);
		expect(arrived).toHaveLength(0);
	});
});
