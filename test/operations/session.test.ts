/**
 * Session: Create (begin/, with Prefill Answers), Get Result (result/, with its Output parameter)
 * and Delete (delete/) on the widget host, Export PDF (a file, in both binary data modes), Get
 * Activities and Get Statistics on the API host, against the sandbox: what Identomat received
 * (host, path, the dialect's field names), what came out, and the messages for bad input.
 */
import type { IDataObject } from 'n8n-workflow';

import { expectFile, rawAnswer, signedSandboxWithTamperingProxy } from '../helpers/downloads';
import { fileBytes, useBinaryMode } from '../../harness/runner';
import {
	expectSessionRequest,
	failureOf,
	type OperationArgs,
	requestsTo,
	runOperation,
	type SandboxRequest,
	sandboxForFile,
} from '../helpers/sandbox';

const CONFIG_ID = '62412c096c4b39ba845d4bf2';
const TOKEN = /^[0-9a-z]{40}$/;
const UNKNOWN = 'u'.repeat(40);

const sb = sandboxForFile();

const session = (...args: OperationArgs) => runOperation(sb, 'session', ...args);

/** The one begin/ request of a run: on the widget host, as JSON, with `company_key` only. */
function beginRequest() {
	const [request, ...more] = requestsTo(sb, 'begin/');
	expect(more).toHaveLength(0);
	expect(request).toMatchObject({ host: 'widget', encoding: 'json', status: 200 });
	expect(request.fields.company_key).toBe(sb.companyKey);
	expect(request.fields).not.toHaveProperty('companyKey');
	return request;
}

describe('Session → Create', () => {
	test('with nothing set: begin/ with the company key only, and {sessionId, sessionUrl} out', async () => {
		const [[item, ...rest]] = await session('create');
		expect(rest).toHaveLength(0);
		expect(beginRequest().fields).toEqual({ company_key: sb.companyKey });
		const sessionId = item.json.sessionId as string;
		expect(sessionId).toMatch(TOKEN);
		expect(item.json).toEqual({ sessionId, sessionUrl: sb.sessionUrl(sessionId) });
		expect(item.json.sessionUrl).toBe(`${sb.url}/?session_token=${sessionId}`);
		expect(item.pairedItem).toEqual({ item: 0 });
		expect(sb.state.sessions.get(sessionId)).toMatchObject({ result: 'in_progress', configId: null, parentSessionId: null });
	});

	test('configuration, every option as its Identomat flag, Custom Flags and Steps, and the parent session', async () => {
		const parent = sb.createCompletedSession();
		const steps = [{ type: 'user-questionnaire', key: 'agreement', questions: [{ key: 'agreement-1', answer: 'John Doe' }] }];
		const [[item]] = await session('create', {
			configId: ` ${CONFIG_ID} `,
			options: {
				language: 'de',
				returnUrl: 'https://crm.example.com/kyc/done',
				skipDesktop: true,
				switchDeviceUrl: 'https://crm.example.com/kyc/phone',
				restrictUrlSharing: true,
				requireHdMedia: true,
				skipFace: false,
				skipDocument: true,
				flags: '{"language": "fr", "customer_tier": "gold"}',
				steps: JSON.stringify(steps),
				parentSessionId: ` ${parent} `,
			},
		});

		expect(beginRequest().fields).toEqual({
			company_key: sb.companyKey,
			config_id: CONFIG_ID,
			// the options take precedence over Custom Flags
			flags: {
				language: 'de',
				customer_tier: 'gold',
				return_url: 'https://crm.example.com/kyc/done',
				skip_desktop: true,
				switch_device_url: 'https://crm.example.com/kyc/phone',
				restrict_url_sharing: true,
				requireHdMedia: true,
				skip_face: false,
				skip_document: true,
			},
			steps,
			parent_session_id: parent,
		});
		expect(sb.state.sessions.get(item.json.sessionId)).toMatchObject({
			configId: CONFIG_ID,
			parentSessionId: parent,
			steps,
			flags: { language: 'de', customer_tier: 'gold' },
		});
	});

	test('empty Custom Flags and Steps send nothing', async () => {
		await session('create', { configId: '', options: { flags: '{}', steps: '[]', returnUrl: '', parentSessionId: ' ' } });
		expect(beginRequest().fields).toEqual({ company_key: sb.companyKey });
	});

	test.each([
		['a Return URL that is not http(s)', { returnUrl: 'crm.example.com/done' }, '"Return URL" in item 1 is not a web address', 'https://'],
		['a return_url in Custom Flags that is not http(s)', { flags: '{"return_url": "ftp://crm.example.com"}' }, '"Return URL" in item 1 is not a web address', 'https://'],
		['a Switch Device URL with javascript:', { switchDeviceUrl: 'javascript:alert(document.cookie)' }, '"Switch Device URL" in item 1 is not a web address', 'https://'],
		['a Switch Device URL with data:', { switchDeviceUrl: 'data:text/html,<script>alert(1)</script>' }, '"Switch Device URL" in item 1 is not a web address', 'https://'],
		['a switch_device_url in Custom Flags with javascript:', { flags: '{"switch_device_url": "javascript:alert(1)"}' }, '"Switch Device URL" in item 1 is not a web address', 'https://'],
		['a switch_device_url in Custom Flags that is no text', { flags: '{"switch_device_url": {"href": "https://crm.example.com"}}' }, '"Switch Device URL" in item 1 is not a web address', 'https://'],
		['Custom Flags that are not JSON', { flags: '{"language": "en"' }, '"Custom Flags (JSON)" in item 1 is not valid JSON', 'Write it as JSON object'],
		['Custom Flags that are no object', { flags: '["en"]' }, '"Custom Flags (JSON)" in item 1 must be a JSON object', 'It is an array'],
		['Custom Steps that are not JSON', { steps: '[{"type": "liveness"' }, '"Custom Steps (JSON)" in item 1 is not valid JSON', 'Write it as JSON array'],
		['Custom Steps that are no array', { steps: '{"type": "liveness"}' }, '"Custom Steps (JSON)" in item 1 must be a JSON array', 'It is object'],
	])('%s: named with the item, before calling Identomat', async (_name, options, message, hint) => {
		const error = await failureOf(session('create', { options }));
		expect(error.message).toBe(message);
		expect(error.description).toContain(hint);
		expect(requestsTo(sb, 'begin/')).toHaveLength(0);
	});

	test('an unknown configuration or parent session: our message', async () => {
		await expect(session('create', { configId: '000000000000000000000000' })).rejects.toThrow(
			'Session → Create: Identomat rejected the parameters of this request',
		);
		await expect(session('create', { options: { parentSessionId: UNKNOWN } })).rejects.toThrow(
			'Session → Create: Identomat has no session with this ID',
		);
	});

	test('creating is never sent twice: a 503 is reported, not retried', async () => {
		sb.faults.add({ path: 'begin/', kind: 'status', status: 503 });
		await expect(session('create')).rejects.toThrow('Session → Create: Identomat is not available right now: it answered (HTTP 503)');
		expect(requestsTo(sb, 'begin/')).toHaveLength(1);
		expect(sb.state.sessions.size).toBe(0);
	});

	test('Continue On Fail: the item with a bad Return URL fails alone, paired with its input', async () => {
		const [items] = await session(
			'create',
			{ options: { returnUrl: '={{ $json.back }}' } },
			{ items: [{ back: 'https://a.example.com' }, { back: 'not a url' }, { back: 'http://b.example.com' }], continueOnFail: true },
		);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].json.sessionId).toMatch(TOKEN);
		expect(items[1].json.error).toBe('"Return URL" in item 2 is not a web address');
		expect(items[1].json).not.toHaveProperty('sessionId');
		expect(items[2].json.sessionId).toMatch(TOKEN);
		expect(items[2].json.sessionId).not.toBe(items[0].json.sessionId);
		expect(requestsTo(sb, 'begin/').map((r) => (r.fields.flags as { return_url: string }).return_url)).toEqual([
			'https://a.example.com',
			'http://b.example.com',
		]);
	});
});

describe('Session → Create → Prefill Answers', () => {
	const answers = (...list: Array<[string, string, string]>) => ({
		answers: list.map(([stepKey, questionKey, answer]) => ({ stepKey, questionKey, answer })),
	});

	const create = (parameters: IDataObject, items?: IDataObject[]) =>
		session('create', { configId: CONFIG_ID, options: {}, ...parameters }, { items });

	const calls = (path: string) => requestsTo(sb, path);

	/** The steps a begin/ request carried (JSON text in a form, a value in JSON). */
	const sentSteps = (request: SandboxRequest) =>
		typeof request.fields.steps === 'string' ? JSON.parse(request.fields.steps) : request.fields.steps;

	/** The configuration's questionnaire step, as Identomat keeps it. */
	const agreementStep = () => sb.state.configs.get(CONFIG_ID).steps.find((s: IDataObject) => s.key === 'agreement');

	it('sends only the step holding the questions, with the answers filled in, and the result carries them', async () => {
		const [[item]] = await create({
			prefillAnswers: answers(['agreement', 'agreement-1', 'Ada Lovelace'], ['agreement', 'agreement-2', 'ada@example.com']),
		});

		expect(calls('get-session-config').map((c) => c.fields)).toEqual([{ companyKey: sb.companyKey, sessionConfigId: CONFIG_ID }]);
		const [begin] = calls('begin/');
		expect(begin.fields.config_id).toBe(CONFIG_ID);
		const expected = structuredClone(agreementStep());
		expected.questions[0].answer = 'Ada Lovelace';
		expected.questions[1].answer = 'ada@example.com';
		expect(sentSteps(begin)).toEqual([expected]);

		sb.completeSession(item.json.sessionId as string, 'approved');
		const [[result]] = await session('getResult', { sessionId: item.json.sessionId, output: 'raw' });
		expect(result.json.questionnaires).toEqual([
			{ key: 'agreement', questions: [{ key: 'agreement-1', answer: 'Ada Lovelace' }, { key: 'agreement-2', answer: 'ada@example.com' }] },
		]);
	});

	it('answers one question of a step: the step is sent whole, its other questions unanswered', async () => {
		await create({ prefillAnswers: answers(['agreement', 'agreement-2', 'ada@example.com']) });
		const [step] = sentSteps(calls('begin/')[0]);
		expect(step.questions.map((q: IDataObject) => [q.key, q.answer])).toEqual([
			['agreement-1', undefined],
			['agreement-2', 'ada@example.com'],
		]);
	});

	it('each item gets its own answers (mapped with expressions) and its own session', async () => {
		const [out] = await create(
			{ prefillAnswers: answers(['agreement', 'agreement-1', '={{ $json.name }}']) },
			[{ name: 'Ada Lovelace' }, { name: 'Grace Hopper' }],
		);
		expect(out).toHaveLength(2);
		expect(new Set(out.map((o) => o.json.sessionId)).size).toBe(2);
		const sent = calls('begin/').map((c) => sentSteps(c)[0].questions[0].answer);
		expect(sent).toEqual(['Ada Lovelace', 'Grace Hopper']);
	});

	it('fills in a step given in Custom Steps (JSON) instead of adding the configured one', async () => {
		const custom = [{ type: 'user-questionnaire', key: 'agreement', questions: [{ key: 'agreement-1', type: 'string' }] }];
		await create({ options: { steps: JSON.stringify(custom) }, prefillAnswers: answers(['agreement', 'agreement-1', 'Ada Lovelace']) });
		expect(sentSteps(calls('begin/')[0])).toEqual([
			{ type: 'user-questionnaire', key: 'agreement', questions: [{ key: 'agreement-1', type: 'string', answer: 'Ada Lovelace' }] },
		]);
	});

	it('without Prefill Answers nothing is read and no steps are sent (as before)', async () => {
		await create({});
		expect(calls('get-session-config')).toHaveLength(0);
		expect(calls('begin/')[0].fields).not.toHaveProperty('steps');
	});

	describe('what a person reads when a key is wrong (no session is started)', () => {
		it('a step the configuration lacks: named, with the item and the steps it has', async () => {
			const error = await failureOf(create({ prefillAnswers: answers(['personal', 'first-name', 'Ada']) }));
			expect(error.message).toBe(`Prefill Answers in item 1: configuration ${CONFIG_ID} has no step "personal"`);
			expect(error.description).toBe('Its steps are: select_document_id, liveness, agreement. Use one of these keys, or check the Configuration ID.');
			expect(calls('begin/')).toHaveLength(0);
		});

		it('a question the step lacks, in item 2: named, with the questions it has', async () => {
			const error = await failureOf(
				create({ prefillAnswers: answers(['agreement', '={{ $itemIndex === 1 ? "first-name" : "agreement-1" }}', 'Ada']) }, [{}, {}]),
			);
			expect(error.message).toBe('Prefill Answers in item 2: step "agreement" has no question "first-name"');
			expect(error.description).toBe('Its questions are: agreement-1, agreement-2.');
			expect(calls('begin/')).toHaveLength(1); // item 1's session only
		});

		it('a step without questions points to the steps that have some', async () => {
			const error = await failureOf(create({ prefillAnswers: answers(['liveness', 'agreement-1', 'Ada']) }));
			expect(error.message).toBe('Prefill Answers in item 1: step "liveness" has no question "agreement-1"');
			expect(error.description).toBe('That step has no questions. Steps with questions: agreement.');
			expect(calls('begin/')).toHaveLength(0);
		});

		it('no Configuration ID: says it is needed, before any call', async () => {
			const error = await failureOf(create({ configId: '', prefillAnswers: answers(['agreement', 'agreement-1', 'Ada']) }));
			expect(error.message).toBe('Prefill Answers in item 1: a Configuration ID is needed');
			expect(error.description).toContain("enter its Configuration ID, or remove the answers");
			expect(sb.requests).toHaveLength(0);
		});

		it.each([
			['a number', '42'],
			['an object', '{ first: "Ada" }'],
			['an array', '["Ada", "Lovelace"]'],
			['a boolean', 'true'],
		])('an answer that is %s, not text, is refused naming the step, the question and the item', async (kind, value) => {
			// Item 1 answers with text, item 2 with the value an expression gave.
			const answer = `={{ $itemIndex === 1 ? ${value} : "Ada" }}`;
			const error = await failureOf(create({ prefillAnswers: answers(['agreement', 'agreement-1', answer]) }, [{}, {}]));
			expect(error.message).toBe(`Prefill Answers in item 2: the answer to question "agreement-1" of step "agreement" is ${kind}, not text`);
			expect(error.description).toContain('String($json.age)');
			expect(calls('begin/')).toHaveLength(1); // item 1's session only
		});

		it('an empty key says which one', async () => {
			const error = await failureOf(create({ prefillAnswers: answers(['agreement', 'agreement-1', 'Ada'], ['agreement', ' ', 'x']) }));
			expect(error.message).toBe('Prefill Answers in item 1: answer 2 has no Question Key');
			expect(calls('begin/')).toHaveLength(0);
		});
	});
});

describe('Session → Get Result', () => {
	test('simplified by default: the ten fields a flow branches on', async () => {
		const id = sb.createCompletedSession();
		const [[item, ...rest]] = await session('getResult', { sessionId: id });
		expect(rest).toHaveLength(0);
		expectSessionRequest(sb, 'result/', 'widget', id);
		expect(item.json).toEqual({
			sessionId: id,
			result: 'approved',
			rejectReason: null,
			similarity: sb.state.sessions.get(id).similarity,
			live: true,
			name: 'John Doe',
			birthday: '1980-01-08T00:00:00.000Z',
			documentType: 'id',
			documentNumber: 'AB0002261',
			documentExpires: '2028-06-28T00:00:00.000Z',
		});
		expect(item.json.similarity).toBeGreaterThan(0.8);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	test('a rejected session, a result string of its own, and a session still in progress', async () => {
		const rejected = sb.createCompletedSession({ result: 'rejected' });
		const manual = sb.createCompletedSession({ result: 'manual_check', card: false });
		const [[created]] = await session('create');
		const inProgress = created.json.sessionId as string;

		const [items] = await session('getResult', { sessionId: '={{ $json.id }}' }, { items: [{ id: rejected }, { id: manual }, { id: inProgress }] });

		expect(items[0].json).toMatchObject({ sessionId: rejected, result: 'rejected', rejectReason: 'low_similarity', live: false, name: 'James Smith' });
		expect(items[1].json).toMatchObject({ sessionId: manual, result: 'manual_check', documentType: 'passport' });
		expect(items[2].json).toEqual({
			sessionId: inProgress,
			result: 'in_progress',
			rejectReason: null,
			similarity: null,
			live: null,
			name: null,
			birthday: null,
			documentType: null,
			documentNumber: null,
			documentExpires: null,
		});
	});

	test('Output Raw: the whole answer as Identomat sent it, with the session ID', async () => {
		const id = sb.createCompletedSession();
		const [[item]] = await session('getResult', { sessionId: id, output: 'raw' });
		const answer = JSON.parse((await rawAnswer(sb, 'widget', 'result/', { session_token: id })).toString('utf8'));
		expect(item.json).toEqual({ sessionId: id, ...answer });
		expect(item.json).toMatchObject({ result: 'approved', person: { document_number: 'AB0002261' }, id_card_front: expect.any(Object) });
	});

	test('a Session ID around spaces is trimmed; one with spaces inside, or none, is named with the item before calling Identomat', async () => {
		const id = sb.createCompletedSession();
		await session('getResult', { sessionId: ` ${id}\n` });
		expectSessionRequest(sb, 'result/', 'widget', id);
		await expect(session('getResult', { sessionId: 'abc def' })).rejects.toThrow('"Session ID" in item 1 contains spaces');
		await expect(session('getResult', { sessionId: ' ' })).rejects.toThrow('"Session ID" is empty in item 1');
		expect(requestsTo(sb, 'result/')).toHaveLength(1);
	});

	test('a pasted session link is read as its session ID, here and on Identomat\'s own widget address', async () => {
		const id = sb.createCompletedSession();
		const [[fromSandboxLink]] = await session('getResult', { sessionId: sb.sessionUrl(id) });
		expect(fromSandboxLink.json).toMatchObject({ sessionId: id, result: 'approved' });
		await session('getResult', { sessionId: `https://widget.identomat.com/?session_token=${id}&lang=en` });
		expect(requestsTo(sb, 'result/').map((r) => r.fields.session_token)).toEqual([id, id]);
	});

	test.each([
		['a short word', 'abc123', 'is not a session ID', 'It has 6 characters.'],
		['capital letters', 'A'.repeat(40), 'is not a session ID', 'It has characters other than lowercase letters and digits.'],
		['a path', `../${'a'.repeat(37)}`, 'is not a session ID', 'It has characters other than lowercase letters and digits.'],
		['a link with no session in it', 'https://widget.identomat.com/?lang=en', 'is a link without a session in it', 'this one has none'],
		['a link to a wrong-shape session', 'https://widget.identomat.com/?session_token=abc', 'is not a session ID', 'It has 3 characters.'],
	])('a Session ID of the wrong shape (%s) is refused before any call, naming the parameter and the item', async (_name, sessionId, message, detail) => {
		const id = sb.createCompletedSession();
		const error = await failureOf(session('getResult', { sessionId: '={{ $json.id }}' }, { items: [{ id }, { id: sessionId }] }));
		expect(error.message).toBe(`"Session ID" in item 2 ${message}`);
		expect(error.description).toContain(detail);
		expect(error.description).toContain('A session ID is 40 lowercase letters and digits');
		expect(requestsTo(sb, 'result/')).toHaveLength(1); // item 1's, not item 2's
	});

	test('Continue On Fail: an unknown session and a bad ID become error items paired with them, the others are read', async () => {
		const id = sb.createCompletedSession();
		const [items] = await session(
			'getResult',
			{ sessionId: '={{ $json.id }}' },
			{ items: [{ id }, { id: UNKNOWN }, { id: 'two words' }, { id }], continueOnFail: true },
		);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
		expect(items[0].json.result).toBe('approved');
		expect(items[1].json).toMatchObject({ error: 'Session → Get Result: Identomat has no session with this ID', code: 'session-not-found' });
		expect(items[2].json.error).toBe('"Session ID" in item 3 contains spaces');
		expect(items[3].json.result).toBe('approved');
		expect(requestsTo(sb, 'result/')).toHaveLength(3);
	});
});

describe('Session → Get Result: the Output parameter (Simplified by default, Raw, Selected Fields)', () => {
	const SIMPLIFIED_RESULT = [
		'sessionId',
		'result',
		'rejectReason',
		'similarity',
		'live',
		'name',
		'birthday',
		'documentType',
		'documentNumber',
		'documentExpires',
	];

	async function getResult(parameters: IDataObject) {
		const sessionId = sb.createCompletedSession();
		const [[item]] = await session('getResult', { sessionId, ...parameters });
		return { sessionId, json: item.json as IDataObject & { person?: IDataObject } };
	}

	test('is Simplified when Output is not set: the ten fields a flow branches on', async () => {
		const { sessionId, json } = await getResult({});
		expect(Object.keys(json)).toEqual(SIMPLIFIED_RESULT);
		expect(json).toMatchObject({
			sessionId,
			result: 'approved',
			name: 'John Doe',
			documentNumber: 'AB0002261',
		});
	});

	test('Raw is the whole answer with the session ID in front', async () => {
		const { sessionId, json } = await getResult({ output: 'raw' });
		expect(Object.keys(json)[0]).toBe('sessionId');
		expect(json).toMatchObject({ sessionId, result: 'approved', document_type: 'id' });
		expect(json.person).toMatchObject({
			first_name: 'John',
			last_name: 'Doe',
			document_number: 'AB0002261',
		});
		expect(json.technicalDetails).toBeDefined();
	});

	test('Selected Fields keeps the listed fields, nested as in the raw answer, and the session ID', async () => {
		const { sessionId, json } = await getResult({
			output: 'selectedFields',
			fields: 'result, person.first_name,person.document_number, person.no_such_field',
		});
		expect(json).toEqual({
			sessionId,
			result: 'approved',
			person: { first_name: 'John', document_number: 'AB0002261', no_such_field: null },
		});
	});

	test('Selected Fields takes a list from an expression too', async () => {
		const { sessionId, json } = await getResult({
			output: 'selectedFields',
			fields: '={{ ["similarity", "live"] }}',
		});
		expect(json).toEqual({ sessionId, similarity: expect.any(Number), live: true });
	});

	test('Selected Fields with no field names says what to enter', async () => {
		const sessionId = sb.createCompletedSession();
		const error = await failureOf(
			session('getResult', {
				sessionId,
				output: 'selectedFields',
				fields: ' , ',
			}),
		);
		expect(error.message).toBe('"Fields" is empty in item 1');
		expect(error.description).toContain('separated by commas');
	});

	describe('Selected Fields cannot reach the prototype of every object', () => {
		/** Whatever a test managed to put on Object.prototype is removed, so one failure stays one. */
		afterEach(() => {
			delete (Object.prototype as IDataObject).isAdmin;
		});

		test.each([
			['__proto__', '__proto__.isAdmin'],
			['constructor', 'constructor.prototype.isAdmin'],
			['prototype', 'person.prototype.isAdmin'],
		])('a path with "%s" is refused, naming the field and the item', async (segment, field) => {
			const sessionId = sb.createCompletedSession();
			const error = await failureOf(session('getResult', { sessionId, output: 'selectedFields', fields: `result, ${field}` }));
			expect(error.message).toBe(`"Fields" in item 1 names "${field}": "${segment}" cannot be part of a field name`);
			expect(error.description).toContain('as the Raw output shows them');
			expect(Object.prototype).not.toHaveProperty('isAdmin');
		});

		test('fields from item data (as a model or an upstream node gives them) leave Object.prototype untouched, and the other items go on', async () => {
			const sessionId = sb.createCompletedSession();
			const [items] = await session(
				'getResult',
				{ sessionId, output: 'selectedFields', fields: '={{ $json.fields }}' },
				{
					items: [{ fields: ['result'] }, { fields: ['__proto__.isAdmin'] }, { fields: 'constructor.prototype.isAdmin' }],
					continueOnFail: true,
				},
			);
			expect(items.map((i) => i.json.error ?? i.json.result)).toEqual([
				'approved',
				'"Fields" in item 2 names "__proto__.isAdmin": "__proto__" cannot be part of a field name',
				'"Fields" in item 3 names "constructor.prototype.isAdmin": "constructor" cannot be part of a field name',
			]);
			expect(Object.prototype).not.toHaveProperty('isAdmin');
			expect(({} as IDataObject).isAdmin).toBeUndefined();
		});
	});

	test('an Output value that is not a choice (from an expression) says which ones there are', async () => {
		const sessionId = sb.createCompletedSession();
		const error = await failureOf(
			session('getResult', { sessionId, output: '={{ "short" }}' }),
		);
		expect(error.message).toBe('"Output" in item 1 is "short", which is not a choice');
		expect(error.description).toContain('Simplified, Raw or Selected Fields');
	});
});

describe('Session → Delete', () => {
	test('deletes the session and returns {deleted: true, sessionId}', async () => {
		const id = sb.createCompletedSession();
		const [[item, ...rest]] = await session('delete', { sessionId: id });
		expect(rest).toHaveLength(0);
		expectSessionRequest(sb, 'delete/', 'widget', id);
		expect(item.json).toEqual({ deleted: true, sessionId: id });
		expect(sb.state.sessions.has(id)).toBe(false);
		await expect(session('getResult', { sessionId: id })).rejects.toThrow('Session → Get Result: Identomat has no session with this ID');
	});

	test('an unknown session: our message; a Session ID with spaces is named before calling Identomat', async () => {
		await expect(session('delete', { sessionId: UNKNOWN })).rejects.toThrow('Session → Delete: Identomat has no session with this ID');
		await expect(session('delete', { sessionId: 'abc def' })).rejects.toThrow('"Session ID" in item 1 contains spaces');
		expect(requestsTo(sb, 'delete/')).toHaveLength(1);
	});

	test('deleting is never sent twice: a dropped connection is reported, not retried', async () => {
		const id = sb.createCompletedSession();
		sb.faults.add({ path: 'delete/', kind: 'reset' });
		await expect(session('delete', { sessionId: id })).rejects.toThrow(
			'Session → Delete: The connection to Identomat was cut off before an answer arrived',
		);
		expect(requestsTo(sb, 'delete/')).toHaveLength(1);
	});

	test('Continue On Fail: the unknown session becomes an error item paired with it, the others are deleted', async () => {
		const first = sb.createCompletedSession();
		const second = sb.createCompletedSession();
		const [items] = await session(
			'delete',
			{ sessionId: '={{ $json.id }}' },
			{ items: [{ id: first }, { id: UNKNOWN }, { id: second }], continueOnFail: true },
		);
		expect(items).toEqual([
			{ json: { deleted: true, sessionId: first }, pairedItem: { item: 0 } },
			{
				json: expect.objectContaining({ error: 'Session → Delete: Identomat has no session with this ID', code: 'session-not-found' }),
				error: expect.objectContaining({ message: 'Session → Delete: Identomat has no session with this ID' }),
				pairedItem: { item: 1 },
			},
			{ json: { deleted: true, sessionId: second }, pairedItem: { item: 2 } },
		]);
		expect(sb.state.sessions.size).toBe(0);
	});
});

describe.each(['default', 'filesystem'] as const)('Session → Export PDF, binary mode %s', (mode) => {
	beforeAll(async () => await useBinaryMode(mode));

	test('by default exports the session data only, as <sessionId>-report.pdf', async () => {
		const id = sb.createCompletedSession();
		const [[item, ...rest]] = await session('exportPdf', { sessionId: id });
		expect(rest).toHaveLength(0);
		const request = expectSessionRequest(sb, 'export-session-as-pdf', 'api', id);
		expect(request.fields).toMatchObject({ exportSession: true, exportScreening: false, exportProofOfAddress: false });
		const pdf = await rawAnswer(sb, 'api', 'export-session-as-pdf', { sessionId: id, exportSession: true });
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
		expect(item.json).toEqual({ sessionId: id, content: 'PDF report of the session', fileName: `${id}-report.pdf`, mimeType: 'application/pdf', fileSize: pdf.length });
		await expectFile(item, 'data', { mimeType: 'application/pdf', extension: 'pdf', fileName: `${id}-report.pdf`, bytes: pdf });
		expect((await fileBytes(item)).toString('latin1')).toContain(`Session: ${id}`);
	});

	test('the parts chosen are sent and included', async () => {
		const id = sb.createCompletedSession();
		const [[item]] = await session('exportPdf', {
			sessionId: id,
			exportSession: false,
			exportScreening: true,
			exportProofOfAddress: true,
			binaryPropertyName: 'report',
		});
		expect(requestsTo(sb, 'export-session-as-pdf')[0].fields).toMatchObject({
			exportSession: false,
			exportScreening: true,
			exportProofOfAddress: true,
		});
		const text = (await fileBytes(item, 'report')).toString('latin1');
		expect(text).toContain('Included: screening, proof of address');
	});

	test('nothing chosen: a message naming the options and the item, before calling Identomat', async () => {
		const id = sb.createCompletedSession();
		const error = await session('exportPdf', { sessionId: id, exportSession: false }).catch((e: Error & { description?: string }) => e);
		expect((error as Error).message).toBe('Nothing to export in item 1: every "Include …" option is off');
		expect((error as { description?: string }).description).toBe(
			'Turn on at least one of "Include Session Data", "Include Screening Results" or "Include Proof of Address".',
		);
		expect(requestsTo(sb, 'export-session-as-pdf')).toHaveLength(0);
	});

	test('an unknown session: our message', async () => {
		await expect(session('exportPdf', { sessionId: 'p'.repeat(40) })).rejects.toThrow(
			'Session → Export PDF: Identomat has no session with this ID',
		);
	});

	test('cut off once: retried, whole; cut off every time: the cut-off message', async () => {
		const id = sb.createCompletedSession();
		sb.faults.add({ kind: 'truncate', path: 'export-session-as-pdf' });
		const [[item]] = await session('exportPdf', { sessionId: id });
		expect(requestsTo(sb, 'export-session-as-pdf')).toHaveLength(2);
		expect(item.binary?.data.mimeType).toBe('application/pdf');
		sb.faults.add({ kind: 'truncate', path: 'export-session-as-pdf', times: Infinity });
		await expect(session('exportPdf', { sessionId: id })).rejects.toThrow('The answer from Identomat was cut off');
	});

	test('Continue On Fail: the item without any part fails alone, paired with its input', async () => {
		const id = sb.createCompletedSession();
		const [items] = await session(
			'exportPdf',
			{ sessionId: id, exportSession: '={{ $json.session }}' },
			{ items: [{ session: true }, { session: false }, { session: true }], continueOnFail: true },
		);
		expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(items[0].binary?.data.fileName).toBe(`${id}-report.pdf`);
		expect(items[1].json.error).toBe('Nothing to export in item 2: every "Include …" option is off');
		expect(items[1].binary).toBeUndefined();
		expect(items[2].binary?.data.mimeType).toBe('application/pdf');
		expect(requestsTo(sb, 'export-session-as-pdf')).toHaveLength(2);
	});
});

describe('Session → Get Activities', () => {
	test('one item per activity, in the order Identomat lists them', async () => {
		const id = sb.createCompletedSession();
		const [items] = await session('getActivities', { sessionId: id });
		expectSessionRequest(sb, 'list-session-activities', 'api', id);
		expect(items.map((i) => i.json.type)).toEqual([
			'PAGE_LOADED',
			'DOCUMENT_SCANNED',
			'LIVENESS_COMPLETED',
			'VIDEO_CALL_STARTED',
			'VIDEO_CALL_ENDED',
			'SESSION_APPROVED',
		]);
		for (const item of items) {
			expect(item.json).toEqual({ sessionId: id, id: expect.any(String), type: expect.any(String), time: expect.any(String), data: [] });
			expect(item.pairedItem).toEqual({ item: 0 });
		}
	});

	test('an unknown session: our message', async () => {
		await expect(session('getActivities', { sessionId: 'a'.repeat(40) })).rejects.toThrow(
			'Session → Get Activities: Identomat has no session with this ID',
		);
	});

	test('Continue On Fail: activities of good sessions, an error item for the unknown one', async () => {
		const id = sb.createCompletedSession({ videoCall: false });
		const [items] = await session(
			'getActivities',
			{ sessionId: '={{ $json.id }}' },
			{ items: [{ id: 'a'.repeat(40) }, { id }], continueOnFail: true },
		);
		expect(items[0]).toMatchObject({ json: { code: 'session-not-found' }, pairedItem: { item: 0 } });
		expect(items.slice(1).map((i) => i.pairedItem)).toEqual(Array(4).fill({ item: 1 }));
	});
});

describe('Session → Get Statistics', () => {
	test('the summary object out of the array of one', async () => {
		const id = sb.createCompletedSession();
		const [[item, ...rest]] = await session('getStatistics', { sessionId: id });
		expect(rest).toHaveLength(0);
		expectSessionRequest(sb, 'get-session-statistical-summary', 'api', id);
		expect(item.json).toMatchObject({
			sessionId: id,
			sessionStartDate: expect.any(String),
			sessionTimeSpan: 12000,
			scanDocumentAttempts: 1,
			scanDocumentFailReason: null,
			livenessFailReasons: null,
		});
		expect(Array.isArray(item.json)).toBe(false);
	});

	test('an unknown session: our message', async () => {
		await expect(session('getStatistics', { sessionId: 's'.repeat(40) })).rejects.toThrow(
			'Session → Get Statistics: Identomat has no session with this ID',
		);
	});

	test('a session ID with spaces is named with the item, before calling Identomat', async () => {
		await expect(session('getStatistics', { sessionId: 'abc def' })).rejects.toThrow('"Session ID" in item 1 contains spaces');
		expect(requestsTo(sb, 'get-session-statistical-summary')).toHaveLength(0);
	});
});

describe.each(['default', 'filesystem'] as const)('Session with HMAC signatures, binary mode %s', (mode) => {
	beforeAll(async () => await useBinaryMode(mode));
	const { signed, tamperingUrl } = signedSandboxWithTamperingProxy();

	const run = (operation: string, sessionId: string, base?: string) => runOperation(signed, 'session', operation, { sessionId }, { base });

	test.each([
		['create', 'begin/'],
		['getResult', 'result/'],
		['delete', 'delete/'],
		['exportPdf', 'export-session-as-pdf'],
		['getActivities', 'list-session-activities'],
		['getStatistics', 'get-session-statistical-summary'],
	])('%s: signed requests, verified answers', async (operation, path) => {
		const id = signed.createCompletedSession();
		const [items] = await run(operation, id);
		expect(items.length).toBeGreaterThan(0);
		expect(requestsTo(signed, path).map((r) => r.signature)).toEqual(['valid']);
	});

	test.each(['create', 'getResult', 'delete', 'exportPdf', 'getActivities', 'getStatistics'])('%s: an answer altered on the way fails the signature check', async (operation) => {
		const id = signed.createCompletedSession();
		await expect(run(operation, id, tamperingUrl())).rejects.toThrow("Identomat's answer failed the signature check");
	});
});
