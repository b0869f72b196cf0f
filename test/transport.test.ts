/**
 * The transport: every way a call can fail ends in a message a person can act on, read-only calls
 * recover from transient faults, calls that create or delete are never sent twice, answers are
 * checked against their signature, and the company key and HMAC secret never appear in an error.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { timeoutOptionMs } from '../nodes/Identomat/actions/shared/parameters';
import { callIdentomat, type IdentomatCall, setRunSettings } from '../nodes/shared/transport';
import { ERROR_CODES } from '../nodes/shared/transport/errors';
import {
	MAX_ATTEMPTS,
	networkError,
	READ_DEADLINE_MS,
	type Waits,
	waitsOf,
	withRetries,
} from '../nodes/shared/transport/request';
import { signBody } from '../nodes/shared/transport/signing';
import { contextFor, credentialDecryptions, useBinaryMode } from '../harness/runner';
import { credentialsOf, requestsTo, runOperation, sandboxForFile } from './helpers/sandbox';

const SECRET = 'transport-test-hmac-secret';
const seenErrors: unknown[] = [];

const sb = sandboxForFile();
beforeAll(async () => await useBinaryMode('default'));

async function call(callOptions: Partial<IdentomatCall> & Pick<IdentomatCall, 'host' | 'path'>, credentials = credentialsOf(sb)) {
	const { context } = contextFor({ parameters: {}, credentials });
	return await callIdentomat(context, { readOnly: true, itemIndex: 0, action: 'Test', ...callOptions });
}

async function failure(promise: Promise<unknown>) {
	try {
		await promise;
	} catch (error) {
		seenErrors.push(error);
		return error as Error & { description?: string; httpCode?: string | null };
	}
	throw new Error('expected the call to fail');
}

const groups = { host: 'api', path: 'list-groups' } as const;
const begin = { host: 'widget', path: 'begin/', readOnly: false } as const;
const countOf = (path: string) => requestsTo(sb, path).length;

describe('error bodies', () => {
	test.each(Object.keys(ERROR_CODES).filter((code) => code === code.toLowerCase()))(
		'{"argumentError": "%s"} gets its own message and hint',
		async (code) => {
			sb.faults.add({ path: 'list-groups', kind: 'errorCode', code });
			const error = await failure(call(groups));
			expect(error.message).toBe(`Test: ${ERROR_CODES[code].message}`);
			expect(error.description).toBe(ERROR_CODES[code].hint);
		},
	);

	test('an unknown code is quoted, with a way forward', async () => {
		sb.faults.add({ path: 'list-groups', kind: 'errorCode', code: 'quota-exceeded' });
		const error = await failure(call(groups));
		expect(error.message).toBe('Test: Identomat refused the request (code "quota-exceeded")');
		expect(error.description).toContain('contact Identomat support');
	});

	describe('no free text from Identomat reaches a message', () => {
		const echo = 'E11000 duplicate key: personalNumber "01024056789", lastName "Beridze"';
		const leaked = (value: unknown) => ['01024056789', 'Beridze', 'E11000', 'duplicate'].filter((t) => JSON.stringify(value).includes(t));

		test('an internal error that echoes personal data: not in the message, the description, the stored error or the Continue On Fail item', async () => {
			sb.faults.add({ path: 'add-blacklist-record', kind: 'body', body: JSON.stringify({ internalError: echo }), times: Infinity });
			const parameters = { reason: 'Fraud', lastName: '={{ $json.lastName }}' };
			const stopped = await failure(runOperation(sb, 'blacklist', 'add', parameters, { items: [{ lastName: 'Beridze' }] }));
			expect(stopped.message).toBe('Blacklist → Add: Identomat could not process the request');
			const serialised = { ...stopped, message: stopped.message, description: stopped.description, stack: stopped.stack };
			expect(leaked(serialised)).toEqual([]);
			const [items] = await runOperation(sb, 'blacklist', 'add', parameters, { continueOnFail: true, items: [{ lastName: 'Beridze' }] });
			expect(items[0].json.error).toBe('Blacklist → Add: Identomat could not process the request');
			expect(leaked(items[0].json)).toEqual([]);
		});

		test.each([
			['free text in argumentError', echo],
			['a code far too long to be one', 'x'.repeat(300)],
			['a code with spaces', 'please contact support'],
		])('%s is not quoted: "an unrecognised answer" with the HTTP status', async (_name, code) => {
			sb.faults.add({ path: 'list-groups', kind: 'body', body: JSON.stringify({ argumentError: code }) });
			const error = await failure(call(groups));
			expect(error.message).toBe('Test: Identomat refused the request with an unrecognised answer (HTTP 200)');
			expect(JSON.stringify({ ...error, description: error.description })).not.toContain(code.slice(0, 20));
		});

		test('an error sent with HTTP 200 does not show "200" as its error code: Identomat\'s code, or nothing', async () => {
			sb.faults.add({ path: 'list-groups', kind: 'errorCode', code: 'session-not-found' });
			expect((await failure(call(groups))).httpCode).toBe('session-not-found');
			sb.faults.add({ path: 'list-groups', kind: 'body', body: JSON.stringify({ internalError: 'boom' }) });
			expect((await failure(call(groups))).httpCode ?? undefined).toBeUndefined();
			sb.faults.add({ path: 'list-groups', kind: 'body', body: JSON.stringify({ argumentError: 'not a code at all' }) });
			expect((await failure(call(groups))).httpCode ?? undefined).toBeUndefined();
			sb.faults.add({ path: 'list-groups', kind: 'status', status: 500 });
			expect((await failure(call(groups))).httpCode).toBe('500');
		});
	});

	test('a wrong key on the widget host (bare "COMPANY_KEY_INVALID") and on the API host', async () => {
		const wrong = { ...credentialsOf(sb), apiKey: 'not-the-key' };
		const widget = await failure(call(begin, wrong));
		const api = await failure(call(groups, wrong));
		for (const error of [widget, api]) {
			expect(error.message).toBe('Test: Identomat did not accept the company key');
			expect(error.description).toContain('Company settings');
		}
	});

	test('an internal error explains itself without quoting what Identomat wrote', async () => {
		const error = await failure(
			call({ host: 'api', path: 'create-user', readOnly: false, fields: { email: 'a@example.com', password: 12345678 } }),
		);
		expect(error.message).toBe('Test: Identomat could not process the request');
		expect(error.description).toContain('Check the values sent');
		expect(JSON.stringify(error)).not.toContain('Illegal arguments');
	});

	test('a node run names the operation and keeps going with Continue On Fail', async () => {
		const good = sb.createCompletedSession({ result: 'approved' });
		const [out] = await runOperation(
			sb,
			'session',
			'getResult',
			{ sessionId: '={{ $json.id }}', output: 'simplified' },
			{ continueOnFail: true, items: [{ id: good }, { id: 'm'.repeat(40) }, { id: good }] },
		);
		expect(out.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.result).toBe('approved');
		expect(out[1].json).toEqual({
			error: 'Session → Get Result: Identomat has no session with this ID',
			description: ERROR_CODES['session-not-found'].hint,
			code: 'session-not-found',
		});
		expect(out[2].json.result).toBe('approved');
	});
});

describe('cost per item', () => {
	test('the credential is decrypted once per run, not once per item or per request', async () => {
		const ids = Array.from({ length: 20 }, () => sb.createCompletedSession({ result: 'approved' }));
		credentialDecryptions.count = 0;
		const [out] = await runOperation(sb, 'session', 'getResult', { sessionId: '={{ $json.id }}' }, { items: ids.map((id) => ({ id })) });
		expect(out.map((item) => item.json.result)).toEqual(ids.map(() => 'approved'));
		expect(credentialDecryptions.count).toBe(1);
	});
});

describe('HTTP and network faults', () => {
	test('a 502 HTML page on a read is retried, then succeeds', async () => {
		sb.faults.add({ path: 'list-groups', kind: 'html', status: 502 });
		await expect(call(groups)).resolves.toHaveProperty('result');
		expect(countOf('list-groups')).toBe(2);
	});

	test('a 502 HTML page that persists ends in a clear message after 4 tries', async () => {
		sb.faults.add({ path: 'list-groups', kind: 'html', status: 502, times: Infinity });
		const error = await failure(call(groups));
		expect(error.message).toBe('Test: Identomat is not available right now: it answered with a web page instead of data (HTTP 502)');
		expect(error.description).toContain('tried 4 times');
		expect(countOf('list-groups')).toBe(4);
	});

	test('429 waits for Retry-After, then succeeds', async () => {
		sb.faults.add({ path: 'list-groups', kind: 'rateLimit', retryAfter: 1 });
		const started = Date.now();
		await expect(call(groups)).resolves.toHaveProperty('result');
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(countOf('list-groups')).toBe(2);
	});

	test('a call that creates something is never sent twice', async () => {
		sb.faults.add({ path: 'begin/', kind: 'status', status: 503 });
		const error = await failure(call(begin));
		expect(error.message).toBe('Test: Identomat is not available right now: it answered (HTTP 503)');
		expect(countOf('begin/')).toBe(1);
		sb.faults.add({ path: 'begin/', kind: 'reset' });
		const reset = await failure(call(begin));
		expect(reset.message).toBe('Test: The connection to Identomat was cut off before an answer arrived');
		expect(countOf('begin/')).toBe(2);
	});

	test('a redirect is not followed: the key stays where it was sent, and the message names the target', async () => {
		sb.faults.add({ path: 'list-groups', kind: 'redirect', status: 301, location: `${sb.url}/moved/list-groups?token=abc` });
		const error = await failure(call(groups));
		expect(error.message).toBe(`Test: Identomat answered with a redirect to ${sb.url}/moved/list-groups (HTTP 301)`);
		expect(error.description).toContain('does not follow redirects');
		sb.faults.add({ path: 'begin/', kind: 'redirect', status: 307, location: '/elsewhere/' });
		const relative = await failure(call(begin));
		expect(relative.message).toBe(`Test: Identomat answered with a redirect to ${sb.url}/elsewhere/ (HTTP 307)`);
		expect(countOf('list-groups')).toBe(1);
		expect(countOf('begin/')).toBe(1);
		expect(sb.requests.filter((r) => /moved|elsewhere/.test(r.path))).toEqual([]);
	});

	test('a dropped connection on a read is retried', async () => {
		sb.faults.add({ path: 'list-groups', kind: 'reset' });
		await expect(call(groups)).resolves.toHaveProperty('result');
		expect(countOf('list-groups')).toBe(2);
	});

	test('a truncated answer is retried on a read, and explained when it persists', async () => {
		sb.faults.add({ path: 'list-groups', kind: 'truncate', times: Infinity });
		const error = await failure(call(groups));
		expect(error.message).toMatch(/^Test: The (answer from Identomat was cut off|connection to Identomat was cut off)/);
		expect(countOf('list-groups')).toBe(4);
	});

	test('no answer in time', async () => {
		sb.faults.add({ path: 'list-groups', kind: 'timeout' });
		const error = await failure(call({ ...groups, readOnly: false, timeoutMs: 300 }));
		expect(error.message).toBe('Test: Identomat is not answering');
		expect(error.description).toContain('check in Identomat whether it happened');
	});

	test('nothing listening at the address', async () => {
		const closed = http.createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const { port } = closed.address() as AddressInfo;
		await new Promise((resolve) => closed.close(resolve));
		const error = await failure(
			call({ ...groups, readOnly: false }, { ...credentialsOf(sb), apiBaseUrl: `http://127.0.0.1:${port}/api` }),
		);
		expect(error.message).toBe(`Test: Could not connect to Identomat at 127.0.0.1:${port}`);
	});
});

describe('an Identomat that accepts the connection and never answers', () => {
	let server: http.Server;
	let base: string;
	let requests = 0;

	beforeAll(async () => {
		server = http.createServer((req) => {
			requests++;
			req.resume(); // read the request, never answer it
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	beforeEach(() => (requests = 0));
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});

	const hung = () => ({ widgetBaseUrl: `${base}/widget`, apiBaseUrl: `${base}/api` });
	const ONE_SECOND = { requestOptions: { timeout: 1 } };

	test('a read: "Identomat is not answering", tried at most four times, with no word of large files', async () => {
		const id = sb.createCompletedSession();
		const error = await failure(runOperation(sb, 'session', 'getResult', { sessionId: id, ...ONE_SECOND }, { credentials: hung() }));
		expect(error.message).toBe('Session → Get Result: Identomat is not answering');
		expect(error.description).toMatch(/^It sent no answer within \d+ seconds \(tried 4 times\)\. Try again in a few minutes/);
		expect(error.description).not.toContain('Timeout');
		expect(requests).toBe(MAX_ATTEMPTS);
	});

	test('a write is sent once and the message says to check whether it happened', async () => {
		const error = await failure(runOperation(sb, 'session', 'create', ONE_SECOND, { credentials: hung() }));
		expect(error.message).toBe('Session → Create: Identomat is not answering');
		expect(error.description).toContain('check in Identomat whether it happened before running it again');
		expect(requests).toBe(1);
	});

	test('a file download keeps its own message, with the hint for large files', async () => {
		const id = sb.createCompletedSession();
		const error = await failure(runOperation(sb, 'media', 'getFaceVideo', { sessionId: id, ...ONE_SECOND }, { credentials: hung() }));
		expect(error.message).toBe('Session Media → Get Liveness Video: Identomat did not answer in time');
		expect(error.description).toContain('raise the Timeout option of this node for large files');
	});
});

describe('how long a read that gets no answer waits, by the clock of the retry policy', () => {
	const place = { node: { name: 'Identomat' } as never, action: 'Test' };
	let now = 0;
	beforeEach(() => {
		now = 0;
		jest.spyOn(Date, 'now').mockImplementation(() => now);
	});
	afterEach(() => jest.restoreAllMocks());

	/** Runs the retry policy over tries that each wait their whole timeout for nothing. */
	async function hungRead(waits: Waits, readOnly = true) {
		const tries: number[] = [];
		const error = await failure(
			withRetries({ host: 'widget', path: 'result/', readOnly }, waits, async (timeoutMs) => {
				tries.push(timeoutMs);
				now += timeoutMs;
				throw networkError(place, 'silent', 'identomat.test');
			}),
		);
		return { error, tries, took: now };
	}

	test('with the defaults: two tries of 30 seconds, and the message says one minute', async () => {
		const { context } = contextFor({ parameters: {}, credentials: credentialsOf(sb) });
		const waits = waitsOf(context, { host: 'widget', path: 'result/', readOnly: true }, 'answer');
		const { error, tries, took } = await hungRead(waits);
		expect(tries).toEqual([30_000, 30_000]);
		expect(took).toBeLessThanOrEqual(READ_DEADLINE_MS);
		expect(error.description).toMatch(/^It sent no answer within 60 seconds \(tried 2 times\)/);
	});

	test('a try never runs past the deadline: the last one gets only the time left', async () => {
		const { tries, took } = await hungRead({ tryMs: 25_000, deadlineMs: READ_DEADLINE_MS });
		expect(tries).toEqual([25_000, 25_000, 10_000]);
		expect(took).toBe(READ_DEADLINE_MS);
	});

	test('a Timeout option longer than the deadline is one try of that length', async () => {
		const { context } = contextFor({ parameters: { requestOptions: { timeout: 90 } }, credentials: credentialsOf(sb) });
		// as the action node's router hands the option to the transport
		setRunSettings(context, { timeoutMs: (itemIndex) => timeoutOptionMs(context, itemIndex) });
		const waits = waitsOf(context, { host: 'widget', path: 'result/', readOnly: true, itemIndex: 0 }, 'answer');
		expect((await hungRead(waits)).tries).toEqual([90_000]);
	});

	test('files have no overall deadline: their size sets their time; each piece waits two minutes', async () => {
		const { context } = contextFor({ parameters: {}, credentials: credentialsOf(sb) });
		expect(waitsOf(context, { host: 'widget', path: 'result/face-video/', readOnly: true }, 'file')).toEqual({
			tryMs: 120_000,
			deadlineMs: Infinity,
		});
	});
});

describe('signed answers', () => {
	let server: http.Server;
	let base: string;
	let signature = '';
	let body = '';

	beforeAll(async () => {
		server = http.createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				res.setHeader('content-type', 'application/json');
				if (signature) res.setHeader('authorization', `signature="${signature}"`);
				res.end(body);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => await new Promise((resolve) => server.close(resolve)));

	const signedCreds = () => ({ apiKey: 'key-for-signing-tests', widgetBaseUrl: `${base}/widget`, apiBaseUrl: `${base}/api`, secretKey: SECRET });

	test('an answer signed with the secret is accepted', async () => {
		body = '{"result":[]}';
		signature = signBody(SECRET, body);
		await expect(call(groups, signedCreds())).resolves.toEqual({ result: [] });
	});

	test('a tampered answer is rejected', async () => {
		signature = signBody(SECRET, '{"result":[]}');
		body = '{"result":[{"id":"injected"}]}';
		const error = await failure(call(groups, signedCreds()));
		expect(error.message).toBe("Test: Identomat's answer failed the signature check");
	});

	test('an unsigned answer is rejected when a secret is set', async () => {
		signature = '';
		body = '{"result":[]}';
		const error = await failure(call(groups, signedCreds()));
		expect(error.message).toBe("Test: Identomat's answer carried no signature although an HMAC secret is set");
	});

	test('an internal error that echoes the key does not repeat it, nor anything else it says', async () => {
		signature = '';
		body = JSON.stringify({ internalError: 'bad companyKey key-for-signing-tests' });
		const error = await failure(call(groups, signedCreds()));
		expect(error.message).toBe('Test: Identomat could not process the request');
		expect(JSON.stringify(error)).not.toContain('bad companyKey');
	});
});

afterAll(() => {
	// Every error raised above, serialised every way n8n stores or shows it, is free of secrets.
	const secrets = [sb.companyKey, 'key-for-signing-tests', SECRET, 'not-the-key'];
	expect(seenErrors.length).toBeGreaterThan(20);
	for (const error of seenErrors) {
		const e = error as Error & { toJSON?: () => unknown; description?: string };
		const serialised = [JSON.stringify(e), JSON.stringify(e.toJSON?.()), String(e.stack), String(e.description)].join('\n');
		for (const secret of secrets) expect(serialised).not.toContain(secret);
	}
});
