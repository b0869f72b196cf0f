/**
 * Session → Create with Prefill Answers: the node reads the configuration (get-session-config) and
 * sends begin/ only the steps that hold the questions answered, with the answers filled in (the
 * reference's "override specific steps" example); the person then sees them filled in and the
 * session's result carries them. A step or question the configuration lacks is named, with the item.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../helpers/runner';
import { credentialsOf, failureOf, type Received, sandboxForFile } from '../helpers/sandbox';

const CONFIG_ID = '62412c096c4b39ba845d4bf2';

const sb = sandboxForFile();

const answers = (...list: Array<[string, string, string]>) => ({
	answers: list.map(([stepKey, questionKey, answer]) => ({ stepKey, questionKey, answer })),
});

async function create(parameters: IDataObject, items?: IDataObject[]) {
	const [output] = await runNode({
		parameters: { resource: 'session', operation: 'create', configId: CONFIG_ID, options: {}, ...parameters },
		credentials: credentialsOf(sb),
		items: items?.map((json) => ({ json })),
	});
	return output;
}

const calls = (path: string) => (sb.requests as Received[]).filter((r) => r.path === path);

/** The steps a begin/ request carried (JSON text in a form, a value in JSON). */
const sentSteps = (request: Received) =>
	typeof request.fields.steps === 'string' ? JSON.parse(request.fields.steps) : request.fields.steps;

/** The configuration's questionnaire step, as Identomat keeps it. */
const agreementStep = () => sb.state.configs.get(CONFIG_ID).steps.find((s: IDataObject) => s.key === 'agreement');

describe('Session → Create → Prefill Answers', () => {
	it('sends only the step holding the questions, with the answers filled in, and the result carries them', async () => {
		const [item] = await create({
			prefillAnswers: answers(['agreement', 'agreement-1', 'Ada Lovelace'], ['agreement', 'agreement-2', 'ada@example.com']),
		});

		expect(calls('get-session-config').map((c) => c.fields)).toEqual([{ companyKey: sb.companyKey, sessionConfigId: CONFIG_ID }]);
		const [begin] = calls('begin/');
		expect(begin.fields.config_id).toBe(CONFIG_ID);
		const expected = structuredClone(agreementStep());
		expected.questions[0].answer = 'Ada Lovelace';
		expected.questions[1].answer = 'ada@example.com';
		expect(sentSteps(begin)).toEqual([expected]);

		sb.completeSession(item.json.sessionId, 'approved');
		const [result] = await create({ operation: 'getResult', sessionId: item.json.sessionId, output: 'raw' });
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
		const out = await create(
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

		it('no Configuration ID: says what the answers need, and reads nothing', async () => {
			const error = await failureOf(create({ configId: '', prefillAnswers: answers(['agreement', 'agreement-1', 'Ada']) }));
			expect(error.message).toBe('Prefill Answers in item 1: no Configuration ID to fill in');
			expect(error.description).toContain("enter its Configuration ID, or remove the answers");
			expect(sb.requests).toHaveLength(0);
		});

		it('an empty key says which one', async () => {
			const error = await failureOf(create({ prefillAnswers: answers(['agreement', 'agreement-1', 'Ada'], ['agreement', ' ', 'x']) }));
			expect(error.message).toBe('Prefill Answers in item 1: answer 2 has no Question Key');
			expect(calls('begin/')).toHaveLength(0);
		});
	});
});
