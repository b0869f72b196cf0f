/**
 * The Output parameter of Session → Get Result and the document reads (Simplified by default, Raw,
 * Selected Fields), run in-process against the sandbox: what an item holds for each choice, and
 * the messages for an empty field list or a value that is not a choice.
 */
import type { IDataObject } from 'n8n-workflow';

import { itemWithFile, runNode } from '../helpers/runner';
import { credentialsOf, failureOf, runOperation, sandboxForFile } from '../helpers/sandbox';

const sb = sandboxForFile();

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
	const [[item]] = await runOperation(sb, 'session', 'getResult', { sessionId, ...parameters });
	return { sessionId, json: item.json as IDataObject & { person?: IDataObject } };
}

describe('Session → Get Result', () => {
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
			runOperation(sb, 'session', 'getResult', {
				sessionId,
				output: 'selectedFields',
				fields: ' , ',
			}),
		);
		expect(error.message).toBe('"Fields" is empty in item 1');
		expect(error.description).toContain('separated by commas');
	});

	test('an Output value that is not a choice (from an expression) says which ones there are', async () => {
		const sessionId = sb.createCompletedSession();
		const error = await failureOf(
			runOperation(sb, 'session', 'getResult', { sessionId, output: '={{ "short" }}' }),
		);
		expect(error.message).toBe('"Output" in item 1 is "short", which is not a choice');
		expect(error.description).toContain('Simplified, Raw or Selected Fields');
	});
});

describe('Document → Read ID Card Front', () => {
	async function read(parameters: IDataObject) {
		const photo = await itemWithFile(
			{},
			{
				data: { data: sb.fixtures['card-front.jpg'], fileName: 'card.jpg', mimeType: 'image/jpeg' },
			},
		);
		const [[item]] = await runNode({
			parameters: { resource: 'document', operation: 'readIdCardFront', ...parameters },
			credentials: credentialsOf(sb),
			items: [photo],
		});
		return item.json as IDataObject;
	}

	test('Simplified by default, Raw on request, Selected Fields from the raw answer', async () => {
		expect(await read({})).toMatchObject({
			firstName: 'JOHN',
			lastName: 'DOE',
			documentNumber: 'AB0002261',
		});
		expect(await read({ output: 'raw' })).toMatchObject({
			Given_Names_en_US: 'JOHN',
			requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
		});
		expect(
			await read({ output: 'selectedFields', fields: 'Document_Number_en_US, person.age' }),
		).toEqual({
			Document_Number_en_US: 'AB0002261',
			person: { age: 45 },
		});
	});
});
