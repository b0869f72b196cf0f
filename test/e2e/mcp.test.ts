/**
 * End to end: Identomat as the tools of n8n's MCP Server Trigger, the example workflow
 * `examples/7-identomat-mcp-server.json` as it is, published under `n8n start` with the packed
 * package, its credential in HMAC mode against the sandbox and its bearer token. A client built on
 * the official MCP TypeScript SDK (1.x) connects over Streamable HTTP (and SSE: n8n 2.41.1's trigger
 * serves both on one URL) with the token, lists the tools, calls each one with the arguments a model
 * would give (`$fromAI()` parameters) and gets the sandbox's answers; a wrong session ID gets our
 * plain message. Calls without the token, or with another one, are refused. A second-generation
 * client (`@modelcontextprotocol/client` 2.x) connects too. Every byte the clients receive is kept
 * and searched for the company key and the HMAC secret.
 */
import { Client as ClientV2, StreamableHTTPClientTransport as StreamableHTTPClientTransportV2 } from '@modelcontextprotocol/client';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';

import { CREDENTIAL, MCP_TOKEN, MCP_TOKEN_CREDENTIAL } from '../../harness/identomat-workflows';
import { exampleWorkflows } from './examples';
import { createN8n, disposeAll, packageTarball, type N8nInstance } from '../../harness/n8n';

import { sandboxForFile } from '../helpers/sandbox';

const WORKFLOW_ID = 'idmtMcpServer001';
const MCP_PATH = 'identomat';
const SECRET = 'e2e-mcp-hmac-secret-4f1c9a';
const TOOL_NAMES = ['Add_to_Blacklist', 'Get_Document_Front', 'Get_Session_Result', 'Read_ID_Card_Front', 'Search_Sanctions_Lists'];
/** Well formed (40 characters of [0-9a-z]), unknown to the sandbox. */
const UNKNOWN_SESSION = 'nosuchsession000000000000000000000000000';
const WITH_TOKEN = { headers: { Authorization: `Bearer ${MCP_TOKEN}` } };

const sb = sandboxForFile({ secretKey: SECRET });
let n8n: N8nInstance;
/** Everything the MCP clients received: status lines, headers and bodies, as text. */
const received: string[] = [];
const clients: Array<{ close(): Promise<void> }> = [];

/** fetch for the SDK's transports that keeps a copy of every answer (streams read as they come). */
const recordingFetch: typeof fetch = async (input, init) => {
	const res = await fetch(input, init);
	const parts = [`${res.status} ${res.statusText}`, JSON.stringify([...res.headers])];
	received.push(...parts);
	const copy = res.clone().body;
	if (copy) {
		const decoder = new TextDecoder();
		const index = received.push('') - 1;
		void (async () => {
			for await (const chunk of copy) received[index] += decoder.decode(chunk, { stream: true });
		})().catch(() => undefined);
	}
	return res;
};

const mcpUrl = () => new URL(`${n8n.baseUrl}/mcp/${MCP_PATH}`);

/** Retries `attempt` until it connects: publishing registers the trigger asynchronously. */
async function untilConnected<C extends { close(): Promise<void> }>(attempt: () => Promise<C>): Promise<C> {
	const deadline = Date.now() + 60_000;
	for (;;) {
		try {
			return await attempt();
		} catch (error) {
			if (Date.now() > deadline) throw error;
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	}
}

/** A client of the 1.x SDK, sending the bearer token on every request. */
async function connect(kind: 'streamable' | 'sse'): Promise<Client> {
	return await untilConnected(async () => {
		const options = { fetch: recordingFetch, requestInit: WITH_TOKEN };
		const transport: Transport =
			kind === 'sse' ? new SSEClientTransport(mcpUrl(), options) : new StreamableHTTPClientTransport(mcpUrl(), options);
		return await connected(new Client({ name: `identomat-e2e-${kind}`, version: '1.0.0' }), transport);
	});
}

/** A second-generation client (`@modelcontextprotocol/client` 2.x), its token from an auth provider. */
async function connectV2(): Promise<ClientV2> {
	return await untilConnected(async () => {
		const transport = new StreamableHTTPClientTransportV2(mcpUrl(), {
			fetch: recordingFetch,
			authProvider: { token: async () => MCP_TOKEN },
		});
		return await connected(new ClientV2({ name: 'identomat-e2e-v2', version: '1.0.0' }), transport);
	});
}

/** Connects a client of either generation; closed after the suite, or at once when it could not connect. */
async function connected<C extends { connect(transport: never): Promise<void>; close(): Promise<void> }>(
	client: C,
	transport: Parameters<C['connect']>[0],
): Promise<C> {
	try {
		await client.connect(transport);
	} catch (error) {
		await client.close().catch(() => undefined);
		throw error;
	}
	clients.push(client);
	return client;
}

/** An MCP initialize request sent by hand, with the given headers. */
async function initialize(headers: Record<string, string>) {
	const res = await fetch(mcpUrl(), {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
		body: JSON.stringify({
			jsonrpc: '2.0',
			id: 1,
			method: 'initialize',
			params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'no-token', version: '1.0.0' } },
		}),
	});
	return { status: res.status, text: await res.text() };
}

/** A tool call's text content, and the JSON in it when it is JSON. */
async function call(client: Client | ClientV2, name: string, args: Record<string, unknown>) {
	const result: any = await client.callTool({ name, arguments: args });
	const text = (result.content as Array<{ type: string; text?: string }>).map((c) => c.text ?? '').join('');
	let json: any;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { isError: result.isError === true, text, json };
}

/** The Instructions of the example's MCP Server Trigger. */
function exampleInstructions(): string {
	const workflow = exampleWorkflows('').find((w) => w.id === WORKFLOW_ID);
	return workflow.nodes.find((n: any) => n.type === '@n8n/n8n-nodes-langchain.mcpTrigger').parameters.instructions;
}

function requestsTo(path: string) {
	return (sb.requests as any[]).filter((r) => r.path === path);
}

beforeAll(async () => {
	n8n = await createN8n({ major: 2, packageTarball: packageTarball() });
	await n8n.importCredentials([
		{
			...CREDENTIAL,
			type: 'identomatApi',
			data: { apiKey: sb.companyKey, secretKey: SECRET, widgetBaseUrl: sb.widgetBaseUrl, apiBaseUrl: sb.apiBaseUrl },
		},
		{ ...MCP_TOKEN_CREDENTIAL, type: 'httpBearerAuth', data: { token: MCP_TOKEN } },
	]);
	await n8n.importWorkflows(exampleWorkflows(sb.url).filter((w) => w.id === WORKFLOW_ID));
	await n8n.start();
	await n8n.activate(WORKFLOW_ID);
});

afterAll(async () => {
	for (const client of clients) await client.close().catch(() => undefined);
	await disposeAll();
});

describe('Identomat tools through the MCP Server Trigger (example 7, n8n 2.41.1)', () => {
	let client: Client;
	beforeAll(async () => {
		client = await connect('streamable');
	});

	test('lists the five tools with their descriptions and input schemas, and the instructions', async () => {
		const { tools } = await client.listTools();
		process.stderr.write(`MCP tools received:\n${tools.map((t) => `  ${t.name}: ${t.description}`).join('\n')}\n`);
		const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
		expect(Object.keys(byName).sort()).toEqual(TOOL_NAMES);

		// n8n's automatic description: the operation's action, "in Identomat".
		expect(byName.Get_Session_Result.description).toBe('Get the result of a session in Identomat');
		expect(byName.Search_Sanctions_Lists.description).toBe('Search sanctions and PEP lists for a person in Identomat');
		expect(byName.Add_to_Blacklist.description).toBe('Add a person to the blacklist in Identomat');
		expect(byName.Get_Document_Front.description).toBe('Get the front of the identity document in Identomat');
		expect(byName.Read_ID_Card_Front.description).toBe('Read the front of an ID card from a photo in Identomat');

		const sessionId = { type: 'string', description: 'The 40-character Identomat session ID (lowercase letters and digits)' };
		const schemaOf = (name: string) => {
			const schema = byName[name].inputSchema as any;
			return { type: schema.type, properties: schema.properties, required: [...(schema.required ?? [])].sort() };
		};
		expect(schemaOf('Get_Session_Result')).toEqual({ type: 'object', properties: { sessionId }, required: ['sessionId'] });
		expect(schemaOf('Get_Document_Front')).toEqual({ type: 'object', properties: { sessionId }, required: ['sessionId'] });
		expect(schemaOf('Read_ID_Card_Front')).toEqual({
			type: 'object',
			properties: { imageUrl: { type: 'string', description: 'Link (http or https) to a JPEG or PNG photo of the front of an ID card' } },
			required: ['imageUrl'],
		});
		expect(schemaOf('Search_Sanctions_Lists')).toEqual({
			type: 'object',
			properties: {
				fullName: { type: 'string', description: 'Full name of the person, as on the document, e.g. John Doe Smith' },
				scoreThreshold: { type: 'number', description: 'Minimum match score from 0 to 100; 80 finds close spellings, 100 only exact names' },
			},
			required: ['fullName', 'scoreThreshold'],
		});
		const blacklist = schemaOf('Add_to_Blacklist');
		expect(blacklist.required).toEqual(['documentNumber', 'firstName', 'lastName', 'reason']);
		expect(blacklist.properties.reason).toEqual({ type: 'string', description: 'Why the person is blacklisted, shown to the compliance team' });
		expect(blacklist.properties.documentNumber).toEqual({ type: 'string', description: 'Number of the identity document; empty if unknown' });

		// The trigger's Instructions, as the example sets them: what each tool is for.
		const instructions = client.getInstructions() ?? '';
		expect(instructions).toBe(exampleInstructions());
		expect(instructions).toMatch(/^Identomat KYC tools\. A session ID is 40 characters/);
		for (const name of TOOL_NAMES) expect(instructions).toContain(`- ${name}: `);
		expect(instructions).toContain('Add_to_Blacklist: changes data. Use only when the user explicitly asks');
	});

	test('Get_Session_Result answers with the simplified result of the session', async () => {
		const sessionId = sb.createCompletedSession();
		const { isError, json } = await call(client, 'Get_Session_Result', { sessionId });
		expect(isError).toBe(false);
		expect(json).toEqual([
			{
				sessionId,
				result: 'approved',
				rejectReason: null,
				similarity: expect.any(Number),
				live: true,
				name: 'John Doe',
				birthday: '1980-01-08T00:00:00.000Z',
				documentType: 'id',
				documentNumber: 'AB0002261',
				documentExpires: '2028-06-28T00:00:00.000Z',
			},
		]);
		const request = requestsTo('result/').at(-1);
		expect(request).toMatchObject({ host: 'widget', signature: 'valid', fields: { session_token: sessionId } });
	});

	test('Search_Sanctions_Lists finds John Doe Smith with the threshold the model chose', async () => {
		const { isError, json } = await call(client, 'Search_Sanctions_Lists', { fullName: 'John Doe Smith', scoreThreshold: 100 });
		expect(isError).toBe(false);
		expect(json).toEqual([
			{
				search: { fullName: 'John Doe Smith', scoreThreshold: 100 },
				matchCount: 1,
				matches: [{ score: 100, name: 'John Doe Smith', personId: '67137933a2176f0797f1e658', entityType: 'person', topics: ['Politician', 'Sanctioned entity'] }],
			},
		]);
		expect(requestsTo('search-screening-person').at(-1)).toMatchObject({
			host: 'api',
			signature: 'valid',
			fields: { query: { fullName: 'John Doe Smith', scoreThreshold: 100 }, offset: 0, limit: 10 },
		});
	});

	test('Add_to_Blacklist adds the record the model described (empty fields left out)', async () => {
		const args = { reason: 'Forged passport in an MCP test', firstName: 'Eve', lastName: 'Forger', documentNumber: '' };
		const { isError, json } = await call(client, 'Add_to_Blacklist', args);
		expect(isError).toBe(false);
		expect(json).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{24}$/), alreadyListed: false }]);
		const added = requestsTo('add-blacklist-record');
		expect(added).toHaveLength(1);
		expect(added[0]).toMatchObject({ signature: 'valid', fields: { query: { reason: args.reason, firstName: 'Eve', lastName: 'Forger' } } });
		expect(added[0].fields.query).not.toHaveProperty('documentNumber');
		expect(sb.state.blacklist.find((r: any) => r.id === json[0].id || r._id === json[0].id)).toMatchObject({ firstName: 'Eve', lastName: 'Forger' });
	});

	test('Get_Document_Front describes the image it fetched (the file itself stays in n8n)', async () => {
		const sessionId = sb.createCompletedSession();
		const { isError, json, text } = await call(client, 'Get_Document_Front', { sessionId });
		expect(isError).toBe(false);
		expect(json).toEqual([
			{
				sessionId,
				content: 'photo of the front of the identity document',
				fileName: `${sessionId}-card-front.jpg`,
				mimeType: 'image/jpeg',
				fileSize: sb.fixtures['card-front.jpg'].length,
			},
		]);
		expect(text).not.toContain(sb.fixtures['card-front.jpg'].toString('base64').slice(0, 64));
	});

	test('Read_ID_Card_Front reads the photo behind the link the model gave (fetched by n8n)', async () => {
		const photo = sb.fixtures['card-front.jpg'];
		const { isError, json } = await call(client, 'Read_ID_Card_Front', { imageUrl: `${sb.url}/__sandbox/fixtures/card-front.jpg` });
		expect(isError).toBe(false);
		expect(json).toEqual([expect.objectContaining({ firstName: 'JOHN', lastName: 'DOE', documentNumber: 'AB0002261' })]);
		const reading = requestsTo('card/front/').at(-1);
		expect(reading).toMatchObject({ host: 'widget', encoding: 'multipart', signature: 'valid' });
		expect(reading.files).toEqual([expect.objectContaining({ field: 'image', filename: 'card-front.jpg', size: photo.length })]);
	});

	test('a link to a web page gets our plain message, naming the parameter', async () => {
		const { isError, text } = await call(client, 'Read_ID_Card_Front', { imageUrl: `${sb.url}/` });
		expect(isError).toBe(true);
		expect(text).toContain('The file at "Image URL" of item 1 is a web page (HTML), not a JPEG or PNG image');
	});

	test('a wrong session ID gets our plain message as a tool error', async () => {
		const { isError, text } = await call(client, 'Get_Session_Result', { sessionId: UNKNOWN_SESSION });
		process.stderr.write(`MCP tool error received: ${text}\n`);
		expect(isError).toBe(true);
		expect(text).toContain('Identomat has no session with this ID');
		expect(text).toContain('Check the Session ID');
	});

	test('a call without the bearer token, or with another one, is refused before any tool is named', async () => {
		for (const headers of [{}, { Authorization: 'Bearer not-the-token' }, { Authorization: MCP_TOKEN }]) {
			const { status, text } = await initialize(headers);
			expect({ headers, status }).toEqual({ headers, status: 403 });
			expect(text).not.toContain('Get_Session_Result');
		}
		const sse = await fetch(mcpUrl(), { headers: { accept: 'text/event-stream' } });
		await sse.body?.cancel();
		expect(sse.status).toBe(403);
		// The SDK's client without the token cannot connect either.
		const anonymous = new Client({ name: 'identomat-e2e-no-token', version: '1.0.0' });
		await expect(anonymous.connect(new StreamableHTTPClientTransport(mcpUrl()))).rejects.toThrow("Authorization data is wrong");
		await anonymous.close().catch(() => undefined);
		// And the token works: the same request with it is answered.
		expect((await initialize(WITH_TOKEN.headers)).status).toBe(200);
	});

	test('a second-generation client (@modelcontextprotocol/client 2.x) gets the same tools and instructions, and calls one', async () => {
		const v2 = await connectV2();
		process.stderr.write(`MCP 2.x client: protocol ${v2.getNegotiatedProtocolVersion()}\n`);
		const { tools } = await v2.listTools();
		expect(tools.map((t) => t.name).sort()).toEqual(TOOL_NAMES);
		expect(v2.getInstructions()).toBe(exampleInstructions());
		const sessionId = sb.createCompletedSession();
		const { isError, json } = await call(v2, 'Get_Session_Result', { sessionId });
		expect(isError).toBe(false);
		expect(json).toEqual([expect.objectContaining({ sessionId, result: 'approved', name: 'John Doe' })]);
	});

	test('the SSE transport serves the same tools', async () => {
		const sse = await connect('sse');
		const { tools } = await sse.listTools();
		expect(tools.map((t) => t.name).sort()).toEqual(TOOL_NAMES);
		const sessionId = sb.createCompletedSession({ result: 'rejected' });
		const { json } = await call(sse, 'Get_Session_Result', { sessionId });
		expect(json).toEqual([expect.objectContaining({ sessionId })]);
	});

	test('neither the company key nor the HMAC secret reaches the client, nor they or the bearer token the n8n log', async () => {
		const everything = received.join('\n');
		expect(everything).toContain('Identomat has no session with this ID');
		expect(everything).toContain('Get_Session_Result');
		for (const secret of [sb.companyKey, SECRET]) expect(everything).not.toContain(secret);
		for (const secret of [sb.companyKey, SECRET, MCP_TOKEN]) expect(n8n.logs()).not.toContain(secret);
	});
});
