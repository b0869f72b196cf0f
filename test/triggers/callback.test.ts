/**
 * The Identomat Callback Trigger through n8n-core's real WebhookContext, with a real request and
 * response: an HTTP server on 127.0.0.1 hands each request (JSON body parsed, as n8n does) to the
 * node's webhook(), then finishes the exchange the way n8n's webhook helpers do for a node in
 * `onReceived` mode. The sandbox posts the callbacks as Identomat would.
 */
import { randomBytes } from 'node:crypto';
// eslint-disable-next-line @n8n/community-nodes/no-restricted-imports -- a test server, not node code
import http from 'node:http';

import { WebhookContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IDataObject, INode, IWebhookData, IWebhookResponseData } from 'n8n-workflow';

import { IdentomatCallbackTrigger, sameKey } from '../../nodes/IdentomatCallbackTrigger/IdentomatCallbackTrigger.node';
import { buildAdditionalData, buildWorkflow } from '../helpers/runner';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../sandbox');

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

const CALLBACK_KEY = `cb-${randomBytes(12).toString('hex')}`;
const nodeType = new IdentomatCallbackTrigger();

interface Setup {
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
}

/** What the workflow received: one list of items per started run. */
let runs: IDataObject[][] = [];
let setup: Setup;
let server: http.Server;
let url: string;
let sb: Sandbox;

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
	const workflow = buildWorkflow(node, nodeType);
	const additionalData = buildAdditionalData('identomatApi', setup.credentials);
	additionalData.httpRequest = req as never;
	additionalData.httpResponse = res as never;
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: 'identomat-callbacks/webhook',
		webhookDescription: nodeType.description.webhooks![0],
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: 'identomat-callbacks',
	};
	const context = new WebhookContext(workflow, workflow.getNode(node.name)!, additionalData, 'webhook', webhookData, [], null);
	let result: IWebhookResponseData;
	try {
		result = await nodeType.webhook!.call(context);
	} catch (error) {
		res.writeHead(500, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify({ message: (error as Error).message }));
		return;
	}
	// What n8n's webhook helpers do with the answer of a node in `onReceived` mode.
	if (result.noWebhookResponse) return;
	if (result.workflowData === undefined) {
		res.writeHead(200, { 'Content-Type': 'application/json' });
		res.end(JSON.stringify(result.webhookResponse ?? { message: 'Webhook call received' }));
		return;
	}
	runs.push(result.workflowData[0].map((item) => item.json));
	res.writeHead(200, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(result.webhookResponse ?? { message: 'Workflow was started' }));
}

beforeAll(async () => {
	sb = await startSandbox({ port: 0 });
	server = http.createServer((req, res) => void handle(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhook/identomat-callbacks/webhook`;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
	await sb.close();
});

beforeEach(() => {
	runs = [];
	setup = {
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
		expect(answer.body).toEqual({ message: 'Workflow was started' });
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
});
