/**
 * Document → Read … (card/front/ … passport/ on the widget host): the photo goes up as the multipart
 * field `image` with `company_key`, in both binary data modes; the extracted fields come back
 * simplified or raw; bad inputs and Identomat's error codes become messages a person can act on.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { sha256 } from '../helpers/downloads';
import { itemWithFile, useBinaryMode } from '../../harness/runner';
import { failureOf, identomatRequests, runOperation, sandboxForFile } from '../helpers/sandbox';

import { makePdf } from '../../sandbox/media.ts';

const sb = sandboxForFile();

const SIMPLE_KEYS = [
	'firstName',
	'lastName',
	'birthday',
	'documentNumber',
	'personalNumber',
	'documentExpires',
	'issuingState',
	'nationality',
	'sex',
	'mrz',
];

/** Each operation, its endpoint and what the simplified output holds for the sandbox's answer. */
const READINGS: Array<[string, string, IDataObject]> = [
	[
		'readIdCardFront',
		'card/front/',
		{
			firstName: 'JOHN',
			lastName: 'DOE',
			birthday: '1980-01-08T00:00:00.000Z',
			documentNumber: 'AB0002261',
			personalNumber: '123456789',
			documentExpires: '2028-06-28T00:00:00.000Z',
			issuingState: 'USA',
			nationality: 'USA', // from `citizenship`: this side has no nationality field
			sex: 'M',
			mrz: null,
		},
	],
	[
		'readIdCardBack',
		'card/back/',
		{
			firstName: 'JOHN',
			lastName: 'DOE',
			birthday: '1980-01-08T00:00:00.000Z',
			documentNumber: 'AB0002261',
			personalNumber: '123456789',
			documentExpires: '2028-06-28T00:00:00.000Z',
			issuingState: 'USA',
			nationality: 'USA',
			sex: 'M',
			mrz: 'IDUSAAB0002261938001085718<<<<\n8001081M2806288USA<<<<<<<<<<<1\nDOE<<JOHN<<<<<<<<<<<<<<<<<<<',
		},
	],
	[
		'readLicenseFront',
		'license/front/',
		{
			firstName: 'John',
			lastName: 'Doe',
			birthday: '1985-01-01T00:00:00.000Z',
			documentNumber: 'ID1234567',
			personalNumber: '1234567890',
			documentExpires: null,
			issuingState: 'USA',
			nationality: null,
			sex: null,
			mrz: null,
		},
	],
	[
		'readLicenseBack',
		'license/back/',
		{
			firstName: null,
			lastName: null,
			birthday: null,
			documentNumber: null,
			personalNumber: null,
			documentExpires: null,
			issuingState: 'USA',
			nationality: null,
			sex: null,
			mrz: null,
		},
	],
	[
		'readResidenceFront',
		'residence/front/',
		{
			firstName: 'John',
			lastName: 'Doe',
			birthday: '1985-05-15T00:00:00.000Z',
			documentNumber: 'D12345678',
			personalNumber: null,
			documentExpires: '2030-12-31T00:00:00.000Z',
			issuingState: 'USA',
			nationality: 'USA',
			sex: 'M',
			mrz: null,
		},
	],
	[
		'readResidenceBack',
		'residence/back/',
		{
			firstName: 'John',
			lastName: 'Doe',
			birthday: '1985-05-15T00:00:00.000Z',
			documentNumber: 'D12345678',
			personalNumber: null,
			documentExpires: '2030-12-31T00:00:00.000Z',
			issuingState: 'ITA',
			nationality: 'USA',
			sex: 'M',
			mrz: 'P<USADOE<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<\nD12345678USA850515M3031232<<<<<<<<<<<<<<06',
		},
	],
	[
		'readPassport',
		'passport/',
		{
			firstName: 'JOHN',
			lastName: 'DOE',
			birthday: '1980-01-08T00:00:00.000Z',
			documentNumber: '561234567',
			personalNumber: null, // a US passport prints none
			documentExpires: '2028-06-27T00:00:00.000Z',
			issuingState: 'USA',
			nationality: 'USA',
			sex: 'M',
			mrz: 'P<USADOE<<JOHN<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<\n5612345671USA8001081M2806273<<<<<<<<<<<<<<06',
		},
	],
];

function jpeg(name = 'card-front.jpg') {
	return { data: sb.fixtures[name] as Buffer, fileName: name, mimeType: 'image/jpeg' };
}

async function photoItem(name = 'card-front.jpg', key = 'data', json: IDataObject = {}) {
	return await itemWithFile(json, { [key]: jpeg(name) });
}

async function read(operation: string, input: INodeExecutionData[], parameters: IDataObject = {}, continueOnFail = false) {
	const [out] = await runOperation(sb, 'document', operation, parameters, { input, continueOnFail });
	return out;
}

const uploads = () => identomatRequests(sb);

describe.each(['default', 'filesystem'] as const)('Document, %s binary mode', (mode) => {
	beforeAll(async () => {
		await useBinaryMode(mode);
	});

	test.each(READINGS)('%s posts the photo to %s and returns the ten useful fields', async (operation, path, expected) => {
		const name = operation === 'readPassport' ? 'passport.jpg' : path.includes('back') ? 'card-back.jpg' : 'card-front.jpg';
		const input = await photoItem(name);
		if (mode === 'filesystem') expect(input.binary!.data.id).toEqual(expect.stringMatching(/^filesystem/));

		const out = await read(operation, [input]);

		const [request, ...others] = uploads();
		expect(others).toHaveLength(0);
		expect(request).toMatchObject({ host: 'widget', path, encoding: 'multipart', status: 200 });
		expect(request.fields).toEqual({ company_key: sb.companyKey });
		expect(request.fields).not.toHaveProperty('companyKey');
		expect(request.files).toEqual([
			{ field: 'image', filename: name, contentType: 'image/jpeg', size: sb.fixtures[name].length, sha256: sha256(sb.fixtures[name]) },
		]);

		expect(out).toHaveLength(1);
		expect(Object.keys(out[0].json)).toEqual(SIMPLE_KEYS);
		expect(out[0].json).toEqual(expected);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[0].binary).toBeUndefined();
	});

	test('Output Raw returns the whole answer, as Identomat sent it', async () => {
		const out = await read('readIdCardFront', [await photoItem()], { output: 'raw' });
		const json = out[0].json as IDataObject & { person: IDataObject };
		expect(json.requestId).toMatch(/^[0-9a-f]{32}$/);
		expect(json).toMatchObject({
			Given_Names_en_US: 'JOHN',
			Surname_en_US: 'DOE',
			citizenship: 'USA',
			Document_Number_en_US: 'AB0002261',
			Date_of_Expiry_ISO: '2028-06-28T00:00:00.000Z',
		});
		expect(json.person).toMatchObject({ first_name: 'JOHN', age: 45, personal_number: '123456789' });
	});

	test('Read Passport raw keeps the MRZ and the printed page apart', async () => {
		const out = await read('readPassport', [await photoItem('passport.jpg')], { output: 'raw' });
		const json = out[0].json as IDataObject & { mrzData: IDataObject; visualData: IDataObject; person: IDataObject };
		expect(json.mrzData).toMatchObject({ Document_Number_en_US: '561234567', mrz: expect.stringContaining('P<USADOE') });
		expect(json.visualData).toMatchObject({ Place_of_Birth_en_US: 'USA', Date_of_Issued_ISO: '2018-06-28T00:00:00.000Z' });
		expect(json.person).toMatchObject({ status: 'FIELDS_MATCH' });
	});

	test('a PNG photo in a field with another name is sent as it is', async () => {
		const png = sb.fixtures['marker.png'] as Buffer;
		const input = await itemWithFile({}, { scan: { data: png, fileName: 'scan.png', mimeType: 'image/png' } });
		const out = await read('readResidenceFront', [input], { binaryPropertyName: 'scan' });
		expect(out[0].json.documentNumber).toBe('D12345678');
		expect(uploads()[0].files).toEqual([
			{ field: 'image', filename: 'scan.png', contentType: 'image/png', size: png.length, sha256: sha256(png) },
		]);
	});

	test('many items: one request each, in order, every output paired with its input', async () => {
		const names = ['card-front.jpg', 'card-back.jpg', 'passport.jpg', 'utility-bill.jpg'];
		const items = await Promise.all(names.map(async (name, i) => await photoItem(name, 'data', { customer: i })));
		const out = await read('readIdCardFront', items);
		expect(out.map((o) => o.pairedItem)).toEqual(names.map((_, i) => ({ item: i })));
		expect(out.every((o) => o.json.documentNumber === 'AB0002261')).toBe(true);
		expect(uploads().map((r) => r.files[0].sha256)).toEqual(
			names.map((name) => sha256(sb.fixtures[name])),
		);
	});

	describe('what a person reads when it goes wrong', () => {
		test('no file under the field name: names the field, the item and the fields that exist', async () => {
			const items = [await photoItem(), await photoItem('card-front.jpg', 'photo')];
			const error = await failureOf(read('readIdCardFront', items));
			expect(error.message).toBe('No file in the binary field "data" of item 2');
			expect(error.description).toContain('"photo"');
			expect(error.description).toContain('Enter one of those names');
		});

		test('an item with no file at all says where to get one', async () => {
			const error = await failureOf(read('readIdCardFront', [{ json: {} }]));
			expect(error.message).toBe('No file in the binary field "data" of item 1');
			expect(error.description).toContain('carries no file');
			expect(uploads()).toHaveLength(0);
		});

		test('an empty file is stopped before it is sent', async () => {
			const input = await itemWithFile({}, { data: { data: Buffer.alloc(0), fileName: 'empty.jpg', mimeType: 'image/jpeg' } });
			const error = await failureOf(read('readIdCardFront', [input]));
			expect(error.message).toBe('The file in the binary field "data" of item 1 is empty');
			expect(uploads()).toHaveLength(0);
		});

		test('a video is named as one: a WebM video, not "a MKV file"', async () => {
			const video = sb.fixtures['liveness.webm'] as Buffer;
			const input = await itemWithFile({}, { data: { data: video, fileName: 'liveness.webm', mimeType: 'video/webm' } });
			const error = await failureOf(read('readPassport', [input]));
			expect(error.message).toBe('The file in the binary field "data" of item 1 is a WebM video, not a JPEG or PNG image');
			expect(uploads()).toHaveLength(0);
		});

		test('a PDF is refused with a pointer to the Edit Image node', async () => {
			const pdf = makePdf('Scan', ['an ID card scanned to PDF']) as Buffer;
			const input = await itemWithFile({}, { data: { data: pdf, fileName: 'scan.pdf', mimeType: 'application/pdf' } });
			const error = await failureOf(read('readPassport', [input]));
			expect(error.message).toBe('The file in the binary field "data" of item 1 is a PDF document, not a JPEG or PNG image');
			expect(error.description).toContain('Edit Image');
			expect(uploads()).toHaveLength(0);
		});

		test('a text file, even declared as a JPEG, is refused by its bytes', async () => {
			const text = Buffer.from('not a photo at all');
			const input = await itemWithFile({}, { data: { data: text, fileName: 'photo.jpg', mimeType: 'image/jpeg' } });
			const error = await failureOf(read('readIdCardBack', [input]));
			expect(error.message).toBe('The file in the binary field "data" of item 1 is neither a JPEG nor a PNG image');
			expect(error.description).toContain('Edit Image');
			expect(uploads()).toHaveLength(0);
		});

		test('a photo with no document in it (DOCUMENT_NOT_FOUND)', async () => {
			const error = await failureOf(read('readIdCardFront', [await photoItem('no-document.jpg')]));
			expect(error.message).toBe('Document → Read ID Card Front: Identomat found no document in the image');
			expect(error.description).toContain('whole document side');
			expect(uploads()[0]).toMatchObject({ path: 'card/front/', status: 200 });
		});

		test('an image Identomat cannot open (INVALID_IMAGE)', async () => {
			sb.faults.add({ host: 'widget', path: 'license/front/', kind: 'bareString', code: 'INVALID_IMAGE' });
			const error = await failureOf(read('readLicenseFront', [await photoItem()]));
			expect(error.message).toBe('Document → Read Driver License Front: Identomat could not open the image');
			expect(error.description).toContain('Edit Image');
		});

		test('any other bare string answer is treated as a refusal, never as fields, and its text is not quoted', async () => {
			sb.faults.add({ host: 'widget', path: 'card/back/', kind: 'bareString', code: 'image too dark' });
			const error = await failureOf(read('readIdCardBack', [await photoItem('card-back.jpg')]));
			expect(error.message).toBe('Document → Read ID Card Back: Identomat refused the request with an unrecognised answer (HTTP 200)');
			expect(JSON.stringify({ ...error, message: error.message, description: error.description })).not.toContain('too dark');
		});

		test('a wrong company key', async () => {
			const error = await failureOf(
				runOperation(sb, 'document', 'readIdCardFront', {}, { input: [await photoItem()], credentials: { apiKey: 'not-the-key' } }),
			);
			expect(error.message).toBe('Document → Read ID Card Front: Identomat did not accept the company key');
			expect(error.description).toContain('credential');
			expect(uploads()[0].fields).toEqual({ company_key: 'not-the-key' });
		});

		test('Continue On Fail: the bad item becomes an error item, the others are read', async () => {
			const pdf = makePdf('Scan', ['scanned']) as Buffer;
			const items = [
				await photoItem('card-front.jpg', 'data', { customer: 'a' }),
				await photoItem('no-document.jpg', 'data', { customer: 'b' }),
				await itemWithFile({ customer: 'c' }, { data: { data: pdf, fileName: 'c.pdf', mimeType: 'application/pdf' } }),
				await photoItem('card-back.jpg', 'data', { customer: 'd' }),
			];
			const out = await read('readIdCardFront', items, {}, true);
			expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
			expect(out[0].json.documentNumber).toBe('AB0002261');
			expect(out[1].json).toMatchObject({
				error: 'Document → Read ID Card Front: Identomat found no document in the image',
				code: 'DOCUMENT_NOT_FOUND',
			});
			expect(out[2].json.error).toBe('The file in the binary field "data" of item 3 is a PDF document, not a JPEG or PNG image');
			expect(out[3].json.documentNumber).toBe('AB0002261');
			expect(uploads()).toHaveLength(3); // the PDF never left n8n
		});
	});
});

describe('Document → Read ID Card Front: the Output parameter', () => {
	const readCard = async (parameters: IDataObject) => (await read('readIdCardFront', [await photoItem()], parameters))[0].json;

	test('Simplified by default, Raw on request, Selected Fields from the raw answer', async () => {
		expect(await readCard({})).toMatchObject({
			firstName: 'JOHN',
			lastName: 'DOE',
			documentNumber: 'AB0002261',
		});
		expect(await readCard({ output: 'raw' })).toMatchObject({
			Given_Names_en_US: 'JOHN',
			requestId: expect.stringMatching(/^[0-9a-f]{32}$/),
		});
		expect(
			await readCard({ output: 'selectedFields', fields: 'Document_Number_en_US, person.age' }),
		).toEqual({
			Document_Number_en_US: 'AB0002261',
			person: { age: 45 },
		});
	});
});

describe.each(['default', 'filesystem'] as const)('Document with an HMAC key, %s binary mode', (mode) => {
	beforeAll(async () => {
		await useBinaryMode(mode);
	});
	const hmac = sandboxForFile({ secretKey: 'sandbox-hmac-secret' });

	const readPassport = async (secretKey: string) =>
		await runOperation(hmac, 'document', 'readPassport', {}, {
			input: [await itemWithFile({}, { data: { data: hmac.fixtures['passport.jpg'], fileName: 'p.jpg', mimeType: 'image/jpeg' } })],
			credentials: { secretKey },
		});

	test('the chained multipart signature is accepted and the signed answer checked', async () => {
		const [out] = await readPassport('sandbox-hmac-secret');
		expect(out[0].json.documentNumber).toBe('561234567');
		expect(hmac.requests).toHaveLength(1);
		expect(hmac.requests[0]).toMatchObject({ path: 'passport/', encoding: 'multipart', signature: 'valid', status: 200 });
	});

	test('a wrong secret is explained', async () => {
		const error = await failureOf(readPassport('another-secret'));
		expect(error.message).toBe('Document → Read Passport: Identomat could not verify the request signature');
		expect(hmac.requests[0].signature).toBe('invalid');
	});
});
