/**
 * The Identomat Callback Trigger through n8n-core's real WebhookContext, with a real request and
 * response: an HTTP server on 127.0.0.1 hands each request (JSON body parsed, as n8n does) to the
 * node's webhook(), then finishes the exchange the way n8n's webhook helpers do for a node in
 * `onReceived` mode. The sandbox posts the callbacks as Identomat would.
 */
import { createHash, randomBytes } from 'node:crypto';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- a test server, not node code
import http from 'node:http';

import { WebhookContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IDataObject, INode, IWebhookData, IWebhookResponseData, WorkflowExecuteMode } from 'n8n-workflow';

import { canonicalJson, IdentomatCallbackTrigger, MAX_REMEMBERED_CALLBACKS, sameKey } from '../../nodes/IdentomatCallbackTrigger/IdentomatCallbackTrigger.node';
import { buildAdditionalData, buildWorkflow } from '../../harness/runner';
import { sandboxForFile } from '../helpers/sandbox';

const CALLBACK_KEY = `cb-${randomBytes(12).toString('hex')}`;
const nodeType = new IdentomatCallbackTrigger();

interface Setup {
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	/** 'webhook' for a production call, 'manual' while the editor is "Listening for test event". */
	mode: WorkflowExecuteMode;
}

/** What the workflow received: one list of items per started run, from its first output ("Callbacks"). */
let runs: IDataObject[][] = [];
/** What the second output ("Refused While Testing") held, one list per started run that had any. */
let refusals: IDataObject[][] = [];
/** The workflow's static data as n8n keeps it in its database between calls (JSON text). */
let storedStaticData: string;
let setup: Setup;
let server: http.Server;
let url: string;
const sb = sandboxForFile();

function readJson(req: http.IncomingMessage): Promise<unknown> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			try {
				resolve(text ? JSON.parse(text) : {});
			} catch {
				resolve({});
			}
		});
		req.on('error', reject);
	});
}

/**
 * One call, handled as n8n 2.41.1's LiveWebhooks does it: the workflow (with its static data) is
 * loaded afresh for every call, the node's webhook() answers, the static data is saved when it
 * changed, and the answer of a node in `onReceived` mode is what n8n's webhook helpers send.
 */
async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
	(req as unknown as { body: unknown }).body = await readJson(req);
	const node: INode = {
		id: 'callback-trigger',
		name: 'Identomat Callback Trigger',
		type: 'n8n-nodes-identomat.identomatCallbackTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: setup.parameters as INode['parameters'],
		credentials: { identomatApi: { id: '1', name: 'Identomat account' } },
		webhookId: 'identomat-callbacks',
	};
	const workflow = buildWorkflow(node, nodeType, JSON.parse(storedStaticData) as IDataObject);
	const additionalData = buildAdditionalData('identomatApi', setup.credentials);
	additionalData.httpRequest = req as never;
	additionalData.httpResponse = res as never;
	const description = nodeType.description.webhooks![0];
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: 'identomat-callbacks/webhook',
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: 'identomat-callbacks',
	};
	const context = new WebhookContext(workflow, workflow.getNode(node.name)!, additionalData, setup.mode, webhookData, [], null);
	let result: IWebhookResponseData;
	try {
		result = await nodeType.webhook!.call(context);
	} catch (error) {
		res.writeHead(500, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify({ message: (error as Error).message }));
		return;
	}
	if (workflow.staticData.__dataChanged === true) {
		const { __dataChanged, ...saved } = workflow.staticData;
		void __dataChanged;
		storedStaticData = JSON.stringify(saved);
	}
	if (result.workflowData !== undefined) {
		runs.push(result.workflowData[0].map((item) => item.json));
		if (result.workflowData[1]?.length) refusals.push(result.workflowData[1].map((item) => item.json));
	}
	if (result.noWebhookResponse) return;
	res.writeHead(200, { 'Content-Type': 'application/json' });
	if (result.workflowData === undefined) {
		res.end(JSON.stringify(result.webhookResponse ?? { message: 'Webhook call received' }));
		return;
	}
	// n8n 2.41.1 (webhook-on-received-response-extractor): the description's responseData, which
	// defaults to the text 'firstEntryJson', wins over the node's webhookResponse when not empty.
	const responseData = description.responseData ?? 'firstEntryJson';
	const answer = responseData === 'noData' ? '' : responseData ? responseData : (result.webhookResponse ?? { message: 'Workflow was started' });
	res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
}

beforeAll(async () => {
	server = http.createServer((req, res) => void handle(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhook/identomat-callbacks/webhook`;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
	runs = [];
	refusals = [];
	storedStaticData = '{}';
	setup = {
		mode: 'webhook',
		parameters: { events: ['one-time-password-request', 'email-one-time-password-request', 'share-session-link-via-sms', 'share-session-link-via-email'] },
		credentials: { apiKey: sb.companyKey, widgetBaseUrl: sb.widgetBaseUrl, apiBaseUrl: sb.apiBaseUrl, callbackApiKey: CALLBACK_KEY },
	};
});

const otp = {
	type: 'one-time-password-request',
	sessionId: '47fjzxvvzapi4ztasth3c2ozfucli3l0qx13hisc',
	text: 'Your Identomat code is 493021',
	phoneNumber: '+995555123456',
};

describe('Identomat Callback Trigger', () => {
	test('a callback with the right key gets 200 and starts one run with the body minus the key', async () => {
		const answer = await sb.sendCallback(url, { ...otp, callbackApiKey: CALLBACK_KEY });
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ received: true });
		expect(runs).toEqual([[otp]]);
		expect(JSON.stringify(runs)).not.toContain(CALLBACK_KEY);
		expect(runs[0][0]).not.toHaveProperty('callbackApiKey');
	});

	test('every known event passes with its own fields (session links by SMS and e-mail)', async () => {
		const bodies = [
			{ type: 'share-session-link-via-sms', sessionId: 'a'.repeat(40), phoneNumber: '+15551234567', text: 'Verify here', sessionLink: 'https://widget.identomat.com/?session_token=' + 'a'.repeat(40) },
			{ type: 'share-session-link-via-email', sessionId: 'b'.repeat(40), email: 'person@example.com', sessionLink: 'https://widget.identomat.com/?session_token=' + 'b'.repeat(40) },
			{ type: 'email-one-time-password-request', sessionId: 'c'.repeat(40), email: 'person@example.com', text: 'Code 1234' },
		];
		for (const body of bodies) expect((await sb.sendCallback(url, { ...body, callbackApiKey: CALLBACK_KEY })).status).toBe(200);
		expect(runs).toEqual(bodies.map((b) => [b]));
	});

	test('a wrong key gets 401 and starts nothing', async () => {
		const answer = await sb.sendCallback(url, { ...otp, callbackApiKey: CALLBACK_KEY + 'x' });
		expect(answer.status).toBe(401);
		expect((answer.body as IDataObject).message).toMatch(/callback API key is missing or does not match/);
		expect(JSON.stringify(answer.body)).not.toContain(CALLBACK_KEY);
		expect(runs).toEqual([]);
	});

	test('a missing key (or a key that is not a string) gets 401 and starts nothing', async () => {
		expect((await sb.sendCallback(url, otp)).status).toBe(401);
		expect((await sb.sendCallback(url, { ...otp, callbackApiKey: '' })).status).toBe(401);
		expect((await sb.sendCallback(url, { ...otp, callbackApiKey: { $ne: null } })).status).toBe(401);
		expect((await sb.sendCallback(url, { ...otp, callbackApiKey: [CALLBACK_KEY] })).status).toBe(401);
		expect(runs).toEqual([]);
	});

	test('with no Callback API Key in the credential every call is refused, with a message saying it must be set', async () => {
		setup.credentials = { ...setup.credentials, callbackApiKey: '' };
		for (const key of ['', 'anything', CALLBACK_KEY]) {
			const answer = await sb.sendCallback(url, { ...otp, callbackApiKey: key });
			expect(answer.status).toBe(401);
			expect((answer.body as IDataObject).message).toMatch(/until the Callback API Key of its Identomat credential/);
		}
		expect(runs).toEqual([]);
		const notice = nodeType.description.properties.find((p) => p.type === 'notice');
		expect(notice?.displayName).toMatch(/Callback API Key.*While that field is empty, every call is refused/);
	});

	test('an event left out of the filter is acknowledged with 200 and starts nothing', async () => {
		setup.parameters = { events: ['share-session-link-via-sms'] };
		const answer = await sb.sendCallback(url, { ...otp, callbackApiKey: CALLBACK_KEY });
		expect(answer.status).toBe(200);
		expect(answer.body).toEqual({ received: true });
		expect(runs).toEqual([]);
		const link = { type: 'share-session-link-via-sms', sessionId: 'x', phoneNumber: '+1', sessionLink: 'https://example.com' };
		expect((await sb.sendCallback(url, { ...link, callbackApiKey: CALLBACK_KEY })).status).toBe(200);
		expect(runs).toEqual([[link]]);
	});

	test('an unknown event type passes only when Include Unknown Event Types is on', async () => {
		const status = { type: 'session-status-changed', sessionId: 'y'.repeat(40), status: 'approved' };
		const untyped = { sessionId: 'z'.repeat(40), text: 'no type at all' };
		expect((await sb.sendCallback(url, { ...status, callbackApiKey: CALLBACK_KEY })).status).toBe(200);
		expect((await sb.sendCallback(url, { ...untyped, callbackApiKey: CALLBACK_KEY })).status).toBe(200);
		expect(runs).toEqual([]);

		setup.parameters = { ...setup.parameters, options: { includeUnknownEvents: true } };
		expect((await sb.sendCallback(url, { ...status, callbackApiKey: CALLBACK_KEY })).status).toBe(200);
		expect((await sb.sendCallback(url, { ...untyped, callbackApiKey: CALLBACK_KEY })).status).toBe(200);
		expect(runs).toEqual([[status], [untyped]]);
		// The opt-in does not open the door to a wrong key.
		expect((await sb.sendCallback(url, { ...status, callbackApiKey: 'nope' })).status).toBe(401);
		expect(runs).toHaveLength(2);
	});

	test('the key comparison is constant-time over fixed-length digests', () => {
		expect(sameKey(CALLBACK_KEY, CALLBACK_KEY)).toBe(true);
		expect(sameKey(CALLBACK_KEY.slice(0, -1), CALLBACK_KEY)).toBe(false);
		expect(sameKey(CALLBACK_KEY + CALLBACK_KEY, CALLBACK_KEY)).toBe(false);
		expect(sameKey('', '')).toBe(false);
		expect(sameKey(undefined, CALLBACK_KEY)).toBe(false);
	});

	test('the node describes a POST webhook answering on receipt, and is not a tool', () => {
		expect(nodeType.description.webhooks).toEqual([expect.objectContaining({ httpMethod: 'POST', responseMode: 'onReceived' })]);
		expect(nodeType.description.usableAsTool).toBeUndefined();
		expect(nodeType.description.credentials).toEqual([{ name: 'identomatApi', required: true }]);
	});

	test('an accepted call is answered {"received": true} by n8n, not with the text "firstEntryJson"', async () => {
		// n8n sends the description's responseData when it is not empty; its default is 'firstEntryJson'.
		expect(nodeType.description.webhooks![0].responseData).toBe('');
		const answer = await sb.sendCallback(url, { ...otp, callbackApiKey: CALLBACK_KEY });
		expect(answer).toEqual({ status: 200, body: { received: true } });
	});
});

describe('Identomat Callback Trigger: a callback sent again', () => {
	const send = (body: IDataObject) => sb.sendCallback(url, { ...body, callbackApiKey: CALLBACK_KEY });
	const remembered = () => (JSON.parse(storedStaticData)['node:Identomat Callback Trigger']?.recentCallbacks ?? {}) as Record<string, number>;

	afterEach(() => jest.restoreAllMocks());

	test('the same callback accepted twice starts one run; the second call is answered 200 all the same', async () => {
		expect(await send(otp)).toEqual({ status: 200, body: { received: true } });
		expect(await send(otp)).toEqual({ status: 200, body: { received: true } });
		expect(runs).toEqual([[otp]]);
	});

	test('it is the same callback whatever the order of its fields', async () => {
		await send(otp);
		const reordered = Object.fromEntries(Object.entries(otp).reverse());
		expect(JSON.stringify(reordered)).not.toBe(JSON.stringify(otp));
		expect((await send(reordered)).status).toBe(200);
		expect(runs).toEqual([[otp]]);
	});

	test('a new code, another session or another event is a new callback and starts its own run', async () => {
		const newCode = { ...otp, text: 'Your Identomat code is 118244' };
		const otherSession = { ...otp, sessionId: 'x'.repeat(40) };
		const link = { type: 'share-session-link-via-sms', sessionId: otp.sessionId, phoneNumber: otp.phoneNumber, sessionLink: 'https://widget.identomat.com/?session_token=' + otp.sessionId };
		for (const body of [otp, newCode, otherSession, link]) await send(body);
		expect(runs).toEqual([[otp], [newCode], [otherSession], [link]]);
	});

	test('after Ignore Repeats Within (Minutes) it runs again; with 0 every call runs', async () => {
		const start = Date.parse('2026-12-06T04:00:00Z');
		const now = jest.spyOn(Date, 'now').mockReturnValue(start);
		await send(otp);
		now.mockReturnValue(start + 9 * 60_000);
		await send(otp);
		expect(runs).toHaveLength(1);
		now.mockReturnValue(start + 11 * 60_000);
		await send(otp);
		expect(runs).toHaveLength(2);

		setup.parameters = { ...setup.parameters, options: { repeatWindowMinutes: 0 } };
		await send(otp);
		await send(otp);
		expect(runs).toHaveLength(4);
	});

	test('it is recognised from the stored static data alone, as on another webhook processor', async () => {
		await send(otp);
		// Every call here loads the workflow afresh from storedStaticData, as n8n does from its database.
		const saved = storedStaticData;
		storedStaticData = '{}';
		await send(otp);
		expect(runs).toHaveLength(2);
		storedStaticData = saved;
		await send(otp);
		expect(runs).toHaveLength(2);
	});

	test('at most 1000 callbacks are remembered: the oldest goes first', async () => {
		const now = Date.now();
		const full = Object.fromEntries(Array.from({ length: MAX_REMEMBERED_CALLBACKS }, (_, i) => [`old${String(i).padStart(4, '0')}`, now - 60_000 + i]));
		storedStaticData = JSON.stringify({ 'node:Identomat Callback Trigger': { recentCallbacks: full } });
		await send(otp);
		const kept = remembered();
		expect(Object.keys(kept)).toHaveLength(MAX_REMEMBERED_CALLBACKS);
		expect(kept).not.toHaveProperty('old0000');
		expect(kept).toHaveProperty('old0001');
		await send(otp);
		expect(runs).toHaveLength(1);
	});

	test('the static data holds no code, phone number, link or key, nor a plain hash of the callback', async () => {
		const link = { type: 'share-session-link-via-sms', sessionId: otp.sessionId, phoneNumber: otp.phoneNumber, sessionLink: 'https://widget.identomat.com/?session_token=abc' };
		await send(otp);
		await send(link);
		const stored = storedStaticData;
		for (const secret of ['493021', otp.phoneNumber, '995555123456', 'session_token', CALLBACK_KEY, otp.sessionId]) expect(stored).not.toContain(secret);
		const plain = createHash('sha256').update(canonicalJson(otp)).digest('hex');
		expect(stored).not.toContain(plain.slice(0, 32));
		expect(Object.keys(remembered())).toHaveLength(2);
	});

	test('while testing, every call runs, so the same test callback can be sent again', async () => {
		setup.mode = 'manual';
		await send(otp);
		await send(otp);
		expect(runs).toEqual([[otp], [otp]]);
	});
});

describe('Identomat Callback Trigger: refused calls while testing', () => {
	test('while "Listening for test event", a refused call gets 401 and shows on the Refused While Testing output only', async () => {
		setup.mode = 'manual';
		const answer = await sb.sendCallback(url, { ...otp, callbackApiKey: 'not-the-key' });
		expect(answer.status).toBe(401);
		expect((answer.body as IDataObject).message).toMatch(/callback API key is missing or does not match/);
		// A run starts (so the editor stops listening and shows it), with nothing on the first output.
		expect(runs).toEqual([[]]);
		expect(refusals).toEqual([
			[
				{
					status: 401,
					message: 'The callback API key is missing or does not match the one configured for this callback URL.',
					receivedFields: ['type', 'sessionId', 'text', 'phoneNumber', 'callbackApiKey'],
				},
			],
		]);
		// Names of the fields only: neither the key sent nor the callback's values.
		for (const value of ['not-the-key', otp.text, otp.phoneNumber, otp.sessionId]) expect(JSON.stringify(refusals)).not.toContain(value);
	});

	test('while testing with no Callback API Key in the credential, the refusal says the key must be set', async () => {
		setup.mode = 'manual';
		setup.credentials = { ...setup.credentials, callbackApiKey: '' };
		expect((await sb.sendCallback(url, { ...otp, callbackApiKey: CALLBACK_KEY })).status).toBe(401);
		expect(refusals[0][0].message).toMatch(/until the Callback API Key of its Identomat credential/);
	});

	test('in production a refused call starts nothing, on either output', async () => {
		expect((await sb.sendCallback(url, { ...otp, callbackApiKey: 'not-the-key' })).status).toBe(401);
		expect(runs).toEqual([]);
		expect(refusals).toEqual([]);
	});

	test('the two outputs are named for the editor: Callbacks, then Refused While Testing', () => {
		expect(nodeType.description.outputs).toEqual([
			expect.objectContaining({ type: 'main', displayName: 'Callbacks' }),
			expect.objectContaining({ type: 'main', displayName: 'Refused While Testing' }),
		]);
	});
});

describe('Identomat Callback Trigger: personal data', () => {
	test('the one-time code text, the phone number and the session link are declared sensitive outputs', () => {
		expect(nodeType.description.sensitiveOutputFields).toEqual(['text', 'phoneNumber', 'sessionLink']);
	});
});

