/**
 * Face → Compare (compare-faces on the API host, multipart with `face1`, `face2` and `companyKey`),
 * in both binary data modes: what Identomat received, the score and statuses as sent, the optional
 * match decision, and the messages for bad inputs.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { sha256 } from '../helpers/downloads';
import { itemWithFile, useBinaryMode } from '../../harness/runner';
import { failureOf, identomatRequests, runOperation, sandboxForFile } from '../helpers/sandbox';

const sb = sandboxForFile();

const jpeg = (name: string) => ({ data: sb.fixtures[name] as Buffer, fileName: name, mimeType: 'image/jpeg' });

/** An item with two photos, under `data` and `data_1` unless told otherwise. */
async function pair(first = 'face.jpg', second = 'document-face.jpg', json: IDataObject = {}, keys = ['data', 'data_1']) {
	return await itemWithFile(json, { [keys[0]]: jpeg(first), [keys[1]]: jpeg(second) });
}

async function compare(input: INodeExecutionData[], parameters: IDataObject = {}, continueOnFail = false) {
	const [out] = await runOperation(sb, 'face', 'compare', parameters, { input, continueOnFail });
	return out;
}

const uploads = () => identomatRequests(sb);

const fileRecord = (field: string, name: string) => ({
	field,
	filename: name,
	contentType: 'image/jpeg',
	size: sb.fixtures[name].length,
	sha256: sha256(sb.fixtures[name]),
});

describe.each(['default', 'filesystem'] as const)('Face → Compare, %s binary mode', (mode) => {
	beforeAll(async () => {
		await useBinaryMode(mode);
	});

	test('sends both photos with companyKey and returns the score and statuses', async () => {
		const input = await pair();
		if (mode === 'filesystem') expect(input.binary!.data_1.id).toEqual(expect.stringMatching(/^filesystem/));

		const out = await compare([input]);

		const [request, ...others] = uploads();
		expect(others).toHaveLength(0);
		expect(request).toMatchObject({ host: 'api', path: 'compare-faces', encoding: 'multipart', status: 200 });
		expect(request.fields).toEqual({ companyKey: sb.companyKey });
		expect(request.fields).not.toHaveProperty('company_key');
		expect(request.files).toEqual([fileRecord('face1', 'face.jpg'), fileRecord('face2', 'document-face.jpg')]);

		expect(out).toHaveLength(1);
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(Object.keys(out[0].json)).toEqual(['similarity', 'face1Statuses', 'face2Statuses']);
		expect(out[0].json.similarity).toBeGreaterThanOrEqual(0.5);
		expect(out[0].json.similarity).toBeLessThan(0.99);
		expect(out[0].json).toMatchObject({ face1Statuses: [], face2Statuses: [] });
	});

	test('the same photo twice is a perfect match under the default threshold', async () => {
		const out = await compare([await pair('face.jpg', 'face.jpg')], { options: { matchThreshold: 0.8 } });
		expect(out[0].json).toEqual({ similarity: 1, face1Statuses: [], face2Statuses: [], match: true });
	});

	test('a score under the threshold is no match; the score itself is unchanged', async () => {
		const plain = await compare([await pair()]);
		sb.reset();
		const strict = await compare([await pair()], { options: { matchThreshold: 0.99 } });
		expect(strict[0].json).toEqual({ ...plain[0].json, match: false });
		const lenient = await compare([await pair()], { options: { matchThreshold: 0 } });
		expect(lenient[0].json.match).toBe(true);
	});

	test('a face too far away: no score, the status as Identomat sent it, match null', async () => {
		const out = await compare([await pair('face.jpg', 'face-small.jpg')], { options: { matchThreshold: 0.8 } });
		expect(out[0].json).toEqual({ similarity: null, face1Statuses: [], face2Statuses: ['FACE_FAR_AWAY'], match: null });
		expect(uploads()[0].files[1]).toEqual(fileRecord('face2', 'face-small.jpg'));
	});

	test('fields with other names, and a PNG', async () => {
		const png = sb.fixtures['marker.png'] as Buffer;
		const input = await itemWithFile({}, {
			selfie: jpeg('face.jpg'),
			idPhoto: { data: png, fileName: 'id.png', mimeType: 'image/png' },
		});
		const out = await compare([input], { binaryPropertyName: 'selfie', secondBinaryPropertyName: 'idPhoto' });
		// The sandbox's PNG is a small marker (under 2 KB), so its face counts as too far away.
		expect(out[0].json).toEqual({ similarity: null, face1Statuses: [], face2Statuses: ['FACE_FAR_AWAY'] });
		expect(uploads()[0].files).toEqual([
			fileRecord('face1', 'face.jpg'),
			{ field: 'face2', filename: 'id.png', contentType: 'image/png', size: png.length, sha256: sha256(png) },
		]);
	});

	test('many items: one comparison each, paired with its input', async () => {
		const items = [
			await pair('face.jpg', 'face.jpg', { id: 0 }),
			await pair('face.jpg', 'document-face.jpg', { id: 1 }),
			await pair('face-document.jpg', 'face-small.jpg', { id: 2 }),
		];
		const out = await compare(items, { options: { matchThreshold: 0.8 } });
		expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(out[0].json.match).toBe(true);
		expect(typeof out[1].json.similarity).toBe('number');
		expect(out[2].json.match).toBeNull();
		expect(uploads().map((r) => r.files.map((f) => f.sha256))).toEqual([
			[sha256(sb.fixtures['face.jpg']), sha256(sb.fixtures['face.jpg'])],
			[sha256(sb.fixtures['face.jpg']), sha256(sb.fixtures['document-face.jpg'])],
			[sha256(sb.fixtures['face-document.jpg']), sha256(sb.fixtures['face-small.jpg'])],
		]);
	});

	describe('what a person reads when it goes wrong', () => {
		test.each([1.5, 80, -0.1])('Match Threshold %p is refused, naming the parameter and the item', async (threshold) => {
			const items = [await pair(), await pair()];
			const error = await failureOf(
				compare(items, { options: { matchThreshold: `={{ $itemIndex === 1 ? ${threshold} : 0.8 }}` } }),
			);
			expect(error.message).toBe('"Match Threshold" in item 2 must be between 0 and 1');
			expect(error.description).toContain('e.g. 0.8');
			expect(uploads()).toHaveLength(1); // item 1 was compared, item 2 never sent
		});

		test('the second photo missing: names the field, the item and the fields that exist', async () => {
			const input = await itemWithFile({}, { data: jpeg('face.jpg'), selfie: jpeg('face-document.jpg') });
			const error = await failureOf(compare([input]));
			expect(error.message).toBe('No file in the binary field "data_1" of item 1');
			expect(error.description).toContain('"data", "selfie"');
			expect(uploads()).toHaveLength(0);
		});

		test('an empty first photo', async () => {
			const input = await itemWithFile({}, {
				data: { data: Buffer.alloc(0), fileName: 'a.jpg', mimeType: 'image/jpeg' },
				data_1: jpeg('face.jpg'),
			});
			const error = await failureOf(compare([input]));
			expect(error.message).toBe('The file in the binary field "data" of item 1 is empty');
		});

		test('a text file instead of a photo points to the Edit Image node', async () => {
			const input = await itemWithFile({}, {
				data: jpeg('face.jpg'),
				data_1: { data: Buffer.from('hello'), fileName: 'face.txt', mimeType: 'text/plain' },
			});
			const error = await failureOf(compare([input]));
			expect(error.message).toBe('The file in the binary field "data_1" of item 1 is neither a JPEG nor a PNG image');
			expect(error.description).toContain('Edit Image');
			expect(uploads()).toHaveLength(0);
		});

		test('an image Identomat cannot open (INVALID_IMAGE)', async () => {
			sb.faults.add({ host: 'api', path: 'compare-faces', kind: 'bareString', code: 'INVALID_IMAGE' });
			const error = await failureOf(compare([await pair()]));
			expect(error.message).toBe('Face → Compare: Identomat could not open the image');
		});

		test('a wrong company key', async () => {
			const error = await failureOf(
				runOperation(sb, 'face', 'compare', {}, { input: [await pair()], credentials: { apiKey: 'not-the-key' } }),
			);
			expect(error.message).toBe('Face → Compare: Identomat did not accept the company key');
			expect(uploads()[0].fields).toEqual({ companyKey: 'not-the-key' });
		});

		test('Continue On Fail: the bad item becomes an error item, the others are compared', async () => {
			const items = [
				await pair('face.jpg', 'face.jpg', { id: 'a' }),
				await itemWithFile({ id: 'b' }, { data: jpeg('face.jpg') }),
				await pair('face.jpg', 'document-face.jpg', { id: 'c' }),
			];
			const out = await compare(items, {}, true);
			expect(out.map((o) => o.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
			expect(out[0].json.similarity).toBe(1);
			expect(out[1].json.error).toBe('No file in the binary field "data_1" of item 2');
			expect(out[1].json.description).toContain('"data"');
			expect(typeof out[2].json.similarity).toBe('number');
			expect(uploads()).toHaveLength(2);
		});
	});
});

describe.each(['default', 'filesystem'] as const)('Face → Compare with an HMAC key, %s binary mode', (mode) => {
	beforeAll(async () => {
		await useBinaryMode(mode);
	});
	const hmac = sandboxForFile({ secretKey: 'sandbox-hmac-secret' });

	test('the chained multipart signature over both files is accepted', async () => {
		const input = await itemWithFile({}, {
			data: { data: hmac.fixtures['face.jpg'], fileName: 'a.jpg', mimeType: 'image/jpeg' },
			data_1: { data: hmac.fixtures['face.jpg'], fileName: 'b.jpg', mimeType: 'image/jpeg' },
		});
		const [out] = await runOperation(hmac, 'face', 'compare', { options: { matchThreshold: 0.8 } }, { input: [input] });
		expect(out[0].json).toEqual({ similarity: 1, face1Statuses: [], face2Statuses: [], match: true });
		expect(hmac.requests).toHaveLength(1);
		expect(hmac.requests[0]).toMatchObject({ path: 'compare-faces', encoding: 'multipart', signature: 'valid', status: 200 });
	});
});
