/**
 * End to end: n8n's AI Agent with Identomat tools, the example workflow
 * `examples/6-kyc-assistant.json` published under `n8n start` with the packed package. Its chat
 * model (OpenAI Chat Model, Chat Completions API) gets a credential whose base URL is a scripted
 * model server on 127.0.0.1 written below: it answers with tool calls, then with text built from
 * the tool results n8n sends back. The chat is made public (embedded mode, answer from the last
 * node) so the test can post a message to its webhook, as a chat widget does.
 *
 * What it shows: the agent calls Identomat with the arguments the model chose (the sandbox's
 * requests), a tool's result reaches the model's next request (the server's record), a value from
 * one tool's result becomes the next call's argument, and a failing call hands the model our
 * plain message.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { credentials } from '../../harness/identomat-workflows';
import { exampleWorkflows } from './examples';
import { createN8n, disposeAll, packageTarball, type N8nInstance } from '../../harness/n8n';

import { sandboxForFile } from '../helpers/sandbox';

const WORKFLOW_ID = 'idmtKycAssist001';
const MODEL = 'scripted-kyc-model';
const MODEL_CREDENTIAL = { id: 'scripted-model', name: 'Scripted Model' };
const MODEL_API_KEY = 'sk-scripted-not-a-real-key';
/** Well formed (40 characters of [0-9a-z]), unknown to the sandbox. */
const UNKNOWN_SESSION = 'nosuchsession000000000000000000000000000';

// ---------------------------------------------------------------------------------------------
// The scripted model: an OpenAI-compatible server (GET /v1/models, POST /v1/chat/completions)

interface ChatMessage {
	role: string;
	content?: string | Array<{ type: string; text?: string }> | null;
	tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>;
	tool_call_id?: string;
}

interface Recorded {
	method: string;
	path: string;
	body: any;
	answer: any;
}

function textOf(content: ChatMessage['content']): string {
	if (typeof content === 'string') return content;
	return (content ?? []).map((part) => part.text ?? '').join('');
}

/** The tool results in a request, each with the call that asked for it (name and arguments). */
function toolResults(messages: ChatMessage[]) {
	const calls = new Map<string, { name: string; args: any }>();
	for (const m of messages) {
		for (const c of m.tool_calls ?? []) calls.set(c.id, { name: c.function.name, args: JSON.parse(c.function.arguments) });
	}
	return messages.filter((m) => m.role === 'tool').map((m) => ({ ...calls.get(m.tool_call_id!)!, id: m.tool_call_id, content: textOf(m.content) }));
}

function parsed(text: string): any {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

let callCounter = 0;
function toolCall(name: string, args: object) {
	return { id: `call_${++callCounter}`, type: 'function', function: { name, arguments: JSON.stringify(args) } };
}

/**
 * The script. 1: the question names a session → Get_Session_Result for it. 2: the result came back
 * → Search_Sanctions_Lists for the name in it (an Identomat message instead → pass it on). 3: both
 * came back → the answer, built from the two results.
 */
function script(messages: ChatMessage[]): { content: string | null; tool_calls?: object[] } {
	const question = textOf([...messages].reverse().find((m) => m.role === 'user')?.content);
	const results = toolResults(messages);
	const session = results.find((r) => r.name === 'Get_Session_Result');
	const screening = results.find((r) => r.name === 'Search_Sanctions_Lists');
	if (!session) {
		const sessionId = /\b[0-9a-z]{40}\b/.exec(question)?.[0];
		if (!sessionId) return { content: 'Which session? Give me its 40-character ID.' };
		return { content: null, tool_calls: [toolCall('Get_Session_Result', { sessionId })] };
	}
	const outcome = parsed(session.content)?.[0];
	if (!outcome?.sessionId) return { content: `Identomat answered: ${session.content}` };
	if (!screening) return { content: null, tool_calls: [toolCall('Search_Sanctions_Lists', { fullName: outcome.name })] };
	const matches: any[] = parsed(screening.content)?.[0]?.matches ?? [];
	const top = matches[0];
	const closest = top ? `, the closest ${top.name} (score ${top.score}: ${top.topics.join(', ')})` : '';
	return { content: `Session ${outcome.sessionId} is ${outcome.result}. ${outcome.name} has ${matches.length} screening match(es)${closest}.` };
}

function completion(body: any) {
	const message = { role: 'assistant', ...script(body.messages as ChatMessage[]) };
	return {
		id: `chatcmpl-${callCounter}`,
		object: 'chat.completion',
		created: 1_700_000_000,
		model: body.model,
		choices: [{ index: 0, message, finish_reason: message.tool_calls ? 'tool_calls' : 'stop', logprobs: null }],
		usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
	};
}

/** The same answer as Server-Sent Events, for a client that asks for `stream: true`. */
function streamed(answer: any): string {
	const { message, finish_reason } = answer.choices[0];
	const delta = {
		role: 'assistant',
		content: message.content ?? null,
		...(message.tool_calls && { tool_calls: message.tool_calls.map((c: any, index: number) => ({ index, ...c })) }),
	};
	const chunk = (choice: object, extra: object = {}) =>
		`data: ${JSON.stringify({ id: answer.id, object: 'chat.completion.chunk', created: answer.created, model: answer.model, choices: [choice], ...extra })}\n\n`;
	return (
		chunk({ index: 0, delta, finish_reason: null }) +
		chunk({ index: 0, delta: {}, finish_reason }, { usage: answer.usage }) +
		'data: [DONE]\n\n'
	);
}

async function startModelServer() {
	const record: Recorded[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			const body = text ? JSON.parse(text) : undefined;
			const entry: Recorded = { method: req.method!, path: req.url!, body, answer: undefined };
			record.push(entry);
			const send = (status: number, answer: unknown) => {
				entry.answer = answer;
				res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
			};
			if (req.headers.authorization !== `Bearer ${MODEL_API_KEY}`) return send(401, { error: { message: 'Incorrect API key provided' } });
			if (req.method === 'GET' && req.url === '/v1/models') {
				return send(200, { object: 'list', data: [{ id: MODEL, object: 'model', created: 1_700_000_000, owned_by: 'e2e' }] });
			}
			if (req.method === 'POST' && req.url === '/v1/chat/completions') {
				let answer;
				try {
					answer = completion(body);
				} catch (error) {
					return send(500, { error: { message: `The script failed: ${(error as Error).message}` } });
				}
				if (!body.stream) return send(200, answer);
				entry.answer = answer;
				return res.writeHead(200, { 'content-type': 'text/event-stream' }).end(streamed(answer));
			}
			send(404, { error: { message: `The scripted model server has no ${req.method} ${req.url}` } });
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/v1`,
		record,
		completions: () => record.filter((r) => r.path === '/v1/chat/completions'),
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

// ---------------------------------------------------------------------------------------------

const sb = sandboxForFile();
let model: Awaited<ReturnType<typeof startModelServer>>;
let n8n: N8nInstance;
let chatPath = '';

/** Example 6 with its chat made public (embedded, answer from the last node) and the scripted model. */
function assistantWorkflow() {
	const workflow = exampleWorkflows(sb.url).find((w) => w.id === WORKFLOW_ID);
	const trigger = workflow.nodes.find((n: any) => n.type === '@n8n/n8n-nodes-langchain.chatTrigger');
	trigger.parameters = { ...trigger.parameters, public: true, mode: 'webhook', options: { ...trigger.parameters.options, responseMode: 'lastNode' } };
	chatPath = `${trigger.webhookId}/chat`;
	const chatModel = workflow.nodes.find((n: any) => n.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi');
	chatModel.parameters.model = { __rl: true, mode: 'id', value: MODEL };
	chatModel.credentials = { openAiApi: MODEL_CREDENTIAL };
	return workflow;
}

async function ask(chatSessionId: string, chatInput: string) {
	const res = await n8n.http('POST', `/webhook/${chatPath}`, { action: 'sendMessage', sessionId: chatSessionId, chatInput });
	expect(res.status).toBe(200);
	return res.body;
}

function requestsTo(path: string) {
	return (sb.requests as any[]).filter((r) => r.path === path);
}

beforeAll(async () => {
	model = await startModelServer();
	n8n = await createN8n({ major: 2, packageTarball: packageTarball() });
	await n8n.importCredentials([
		...credentials(sb),
		{ ...MODEL_CREDENTIAL, type: 'openAiApi', data: { apiKey: MODEL_API_KEY, url: model.url } },
	]);
	await n8n.importWorkflows([assistantWorkflow()]);
	await n8n.start();
	await n8n.activate(WORKFLOW_ID, { webhookPaths: [chatPath] });
});

afterAll(async () => {
	await disposeAll();
	await model?.close();
});

describe('the KYC assistant (example 6): AI Agent with Identomat tools and a scripted model, n8n 2.41.1', () => {
	beforeEach(() => {
		model.record.length = 0;
	});

	test('answers "approved, and on a sanctions list?" from two Identomat calls the model chose', async () => {
		const sessionId = sb.createCompletedSession({ person: { first_name: 'John', last_name: 'Doe Smith' } });
		const answer = await ask('chat-approved', `Is session ${sessionId} approved, and does the person appear on a sanctions list?`);
		expect(answer).toEqual({
			output: `Session ${sessionId} is approved. John Doe Smith has 10 screening match(es), the closest John Doe Smith (score 100: Politician, Sanctioned entity).`,
		});

		// The model saw the tools of the example, with the schemas of their $fromAI() parameters.
		const [first, second, third] = model.completions();
		expect(model.completions()).toHaveLength(3);
		const tools = Object.fromEntries(first.body.tools.map((t: any) => [t.function.name, t.function]));
		expect(Object.keys(tools).sort()).toEqual(['Get_Screened_Person', 'Get_Session_Activities', 'Get_Session_Result', 'Search_Sanctions_Lists']);
		expect(tools.Get_Session_Result.description).toBe('Get the result of a session in Identomat');
		expect(tools.Get_Session_Result.parameters.properties.sessionId).toMatchObject({ type: 'string', description: expect.stringContaining('40-character') });
		expect(first.body.model).toBe(MODEL);
		expect(first.body.messages[0]).toMatchObject({ role: 'system', content: expect.stringContaining('KYC assistant') });

		// Call 1: the session the model asked for, as Identomat received it.
		const sessionCall = first.answer.choices[0].message.tool_calls[0];
		expect(JSON.parse(sessionCall.function.arguments)).toEqual({ sessionId });
		expect(requestsTo('result/')).toEqual([expect.objectContaining({ host: 'widget', fields: expect.objectContaining({ session_token: sessionId }) })]);

		// Its result in the model's next request, as the tool message for that call.
		const sessionResult = second.body.messages.find((m: any) => m.role === 'tool' && m.tool_call_id === sessionCall.id);
		process.stderr.write(
			`Model server record, one tool call and its result:\n  call:   ${JSON.stringify(sessionCall)}\n  result: ${JSON.stringify(sessionResult)}\n`,
		);
		expect(JSON.parse(sessionResult.content)).toEqual([
			expect.objectContaining({ sessionId, result: 'approved', name: 'John Doe Smith', documentType: 'id', documentNumber: 'AB0002261' }),
		]);

		// Call 2: the name from that result, sent to screening.
		const screeningCall = second.answer.choices[0].message.tool_calls[0];
		expect(screeningCall.function).toEqual({ name: 'Search_Sanctions_Lists', arguments: JSON.stringify({ fullName: 'John Doe Smith' }) });
		expect(requestsTo('search-screening-person')).toEqual([
			expect.objectContaining({ host: 'api', fields: { companyKey: sb.companyKey, query: { fullName: 'John Doe Smith', scoreThreshold: 80 }, offset: 0, limit: 10 } }),
		]);
		const screeningResult = third.body.messages.find((m: any) => m.role === 'tool' && m.tool_call_id === screeningCall.id);
		const [searched] = JSON.parse(screeningResult.content);
		expect(searched).toMatchObject({ search: { fullName: 'John Doe Smith', scoreThreshold: 80 }, matchCount: 10 });
		const matches = searched.matches;
		expect(matches).toHaveLength(10);
		expect(matches[0]).toEqual(expect.objectContaining({ personId: '67137933a2176f0797f1e658', name: 'John Doe Smith', score: 100 }));

		// Only the chat completions endpoint was needed, and the model never saw the company key.
		expect(model.record.map((r) => `${r.method} ${r.path}`)).toEqual(Array(3).fill('POST /v1/chat/completions'));
		expect(JSON.stringify(model.record)).not.toContain(sb.companyKey);
	});

	test('a session Identomat does not know: the model reads our plain message and passes it on', async () => {
		const answer = await ask('chat-unknown', `Is session ${UNKNOWN_SESSION} approved?`);
		const [, second] = model.completions();
		const toolMessage = second.body.messages.find((m: any) => m.role === 'tool');
		process.stderr.write(`Tool error the model read: ${textOf(toolMessage.content)}\n`);
		expect(textOf(toolMessage.content)).toContain('Identomat has no session with this ID');
		// and the hint with it: how to get unstuck
		expect(textOf(toolMessage.content)).toContain('Check the Session ID');
		expect(answer.output).toMatch(/^Identomat answered: .*Identomat has no session with this ID/s);
		expect(requestsTo('search-screening-person')).toHaveLength(0);
		expect(JSON.stringify(model.record)).not.toContain(sb.companyKey);
		expect(n8n.logs()).not.toContain(sb.companyKey);
	});

	test('the model credential test reaches the scripted server', async () => {
		const res = await n8n.rest('POST', '/credentials/test', {
			credentials: { id: MODEL_CREDENTIAL.id, name: MODEL_CREDENTIAL.name, type: 'openAiApi', data: { apiKey: MODEL_API_KEY, url: model.url } },
		});
		expect(res.body.data).toMatchObject({ status: 'OK' });
		expect(model.record.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/models']);
	});
});
