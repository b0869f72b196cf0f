/**
 * Session Media: every download in both binary data modes, against the sandbox. What Identomat
 * received (host, path, the dialect's field names), the files that came out (type sniffed from the
 * bytes, never the declared one; name; size; bytes), and what users meet when it goes wrong.
 */
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { expectFile, rawAnswer, signedSandboxWithTamperingProxy } from '../helpers/downloads';
import { fileBytes, useBinaryMode } from '../../harness/runner';
import { expectSessionRequest, failureOf, type OperationArgs, requestsTo, runOperation, sandboxForFile } from '../helpers/sandbox';

import * as sandboxMedia from '../../sandbox/media.ts';

const VIDEO_BYTES = 300 * 1024;
const STEP = 'user-questionnaire-1';
const BLANK = ' ';

const sb = sandboxForFile({ videoBytes: VIDEO_BYTES });

const media = (...args: OperationArgs) => runOperation(sb, 'media', ...args);

describe.each(['default', 'filesystem'] as const)('Session Media, binary mode %s', (mode) => {
	beforeAll(async () => await useBinaryMode(mode));

	describe.each([
		['getCardFront', 'result/card-front/', 'card-front.jpg', 'card-front', 'photo of the front of the identity document'],
		['getCardBack', 'result/card-back/', 'card-back.jpg', 'card-back', 'photo of the back of the identity document'],
		['getPassport', 'result/passport/', 'passport.jpg', 'passport', 'photo of the passport photo page'],
		['getFace', 'result/face/', 'face.jpg', 'face', 'face image from the liveness check'],
		['getFaceDocument', 'result/face-document/', 'face-document.jpg', 'selfie-with-document', 'selfie of the person holding the identity document'],
	])('%s', (operation, path, fixture, name, content) => {
		test(`downloads ${path} from the widget host as a JPEG named <sessionId>-${name}.jpg`, async () => {
			const id = sb.createCompletedSession();
			const [[item, ...rest]] = await media(operation, { sessionId: id });
			expect(rest).toHaveLength(0);
			expectSessionRequest(sb, path, 'widget', id);
			const fileName = `${id}-${name}.jpg`;
			expect(item.json).toEqual({ sessionId: id, content, fileName, mimeType: 'image/jpeg', fileSize: sb.fixtures[fixture].length });
			await expectFile(item, 'data', { mimeType: 'image/jpeg', extension: 'jpg', fileName, bytes: sb.fixtures[fixture] });
			expect(item.pairedItem).toEqual({ item: 0 });
		});
	});

	test('a custom output field name', async () => {
		const id = sb.createCompletedSession();
		const [[item]] = await media('getCardBack', { sessionId: id, binaryPropertyName: 'photo' });
		expect(Object.keys(item.binary ?? {})).toEqual(['photo']);
		expect((await fileBytes(item, 'photo')).equals(sb.fixtures['card-back.jpg'])).toBe(true);
	});

	test('getFaceVideo streams the liveness video into a WebM file named <sessionId>-liveness.webm', async () => {
		const id = sb.createCompletedSession();
		const [[item]] = await media('getFaceVideo', { sessionId: id });
		expectSessionRequest(sb, 'result/face-video/', 'widget', id);
		const expected = await rawAnswer(sb, 'widget', 'result/face-video/', { session_token: id });
		expect(expected.length).toBe(VIDEO_BYTES);
		expect(item.json).toEqual({ sessionId: id, content: 'video of the liveness check', fileName: `${id}-liveness.webm`, mimeType: 'video/webm', fileSize: VIDEO_BYTES });
		await expectFile(item, 'data', { mimeType: 'video/webm', extension: 'webm', fileName: `${id}-liveness.webm`, bytes: expected });
	});

	describe('getGeneralDocument', () => {
		test('a utility bill sent as octet-stream comes out as a JPEG; the type ID is sent', async () => {
			const id = sb.createCompletedSession();
			const [[item]] = await media('getGeneralDocument', { sessionId: id, typeId: 'utility-bill' });
			const request = expectSessionRequest(sb, 'result/general-document/', 'widget', id);
			expect(request.fields.typeId).toBe('utility-bill');
			expect(item.json).toMatchObject({ sessionId: id, typeId: 'utility-bill', mimeType: 'image/jpeg' });
			await expectFile(item, 'data', {
				mimeType: 'image/jpeg',
				extension: 'jpg',
				fileName: `${id}-utility-bill.jpg`,
				bytes: sb.fixtures['utility-bill.jpg'],
			});
		});

		test('a bank statement comes out as a PDF', async () => {
			const id = sb.createCompletedSession();
			const [[item]] = await media('getGeneralDocument', { sessionId: id, typeId: 'bank-statement' });
			const expected = await rawAnswer(sb, 'widget', 'result/general-document/', { session_token: id, typeId: 'bank-statement' });
			expect(expected.subarray(0, 5).toString()).toBe('%PDF-');
			await expectFile(item, 'data', { mimeType: 'application/pdf', extension: 'pdf', fileName: `${id}-bank-statement.pdf`, bytes: expected });
		});

		test('a document type the person did not submit: not-found, explained', async () => {
			const id = sb.createCompletedSession();
			await expect(media('getGeneralDocument', { sessionId: id, typeId: 'drivers-license' })).rejects.toThrow(
				'Session Media → Get Proof of Address: Identomat found nothing with this ID',
			);
		});
	});

	describe('getDocumentFacePhoto', () => {
		test('asks the API host; the data URI declared text/plain comes out as a JPEG', async () => {
			const id = sb.createCompletedSession();
			const [[item]] = await media('getDocumentFacePhoto', { sessionId: id });
			expectSessionRequest(sb, 'get-session-main-document-face-photo', 'api', id);
			const fileName = `${id}-document-face.jpg`;
			expect(item.json).toEqual({
				sessionId: id,
				content: 'portrait cut out of the identity document',
				fileName,
				mimeType: 'image/jpeg',
				fileSize: sb.fixtures['document-face.jpg'].length,
			});
			await expectFile(item, 'data', { mimeType: 'image/jpeg', extension: 'jpg', fileName, bytes: sb.fixtures['document-face.jpg'] });
		});

		test('a session without a document photo: the face-photo-not-found message', async () => {
			const id = sb.createCompletedSession({ documentFacePhoto: false });
			await expect(media('getDocumentFacePhoto', { sessionId: id })).rejects.toThrow("The session's document has no face photo");
		});

		test.each(['badBase64', 'noComma'])('a malformed data URI (%s) is reported, not stored', async (variant) => {
			const id = sb.createCompletedSession();
			sb.faults.add({ kind: 'malformedDataUri', path: 'get-session-main-document-face-photo', variant });
			await expect(media('getDocumentFacePhoto', { sessionId: id })).rejects.toThrow(
				"Identomat's answer could not be read: the document face photo is not a readable base64 data URI",
			);
		});
	});

	describe('getVisualMarkers', () => {
		const markers = () => [sb.fixtures['marker.png'], sb.fixtures['marker-2.png'], sb.fixtures['document-face.jpg']];

		test('nested x-tar data URIs become PNG/PNG/JPEG files on one item: data, data_1, data_2', async () => {
			const id = sb.createCompletedSession();
			const [[item, ...rest]] = await media('getVisualMarkers', { sessionId: id });
			expect(rest).toHaveLength(0);
			expectSessionRequest(sb, 'get-visual-markers', 'api', id);
			expect(Object.keys(item.binary ?? {})).toEqual(['data', 'data_1', 'data_2']);
			const [png1, png2, jpeg] = markers();
			const content = 'image of a visual security feature of the document';
			expect(item.json).toEqual({
				sessionId: id,
				fileCount: 3,
				files: [
					{ binaryPropertyName: 'data', content, fileName: `${id}-visual-marker-1.png`, mimeType: 'image/png', fileSize: png1.length },
					{ binaryPropertyName: 'data_1', content, fileName: `${id}-visual-marker-2.png`, mimeType: 'image/png', fileSize: png2.length },
					{ binaryPropertyName: 'data_2', content, fileName: `${id}-visual-marker-3.jpg`, mimeType: 'image/jpeg', fileSize: jpeg.length },
				],
			});
			await expectFile(item, 'data', { mimeType: 'image/png', extension: 'png', fileName: `${id}-visual-marker-1.png`, bytes: png1 });
			await expectFile(item, 'data_1', { mimeType: 'image/png', extension: 'png', fileName: `${id}-visual-marker-2.png`, bytes: png2 });
			await expectFile(item, 'data_2', { mimeType: 'image/jpeg', extension: 'jpg', fileName: `${id}-visual-marker-3.jpg`, bytes: jpeg });
		});

		test('Output "One Item per File": three items, each paired with the input item', async () => {
			const id = sb.createCompletedSession();
			const [items] = await media('getVisualMarkers', { sessionId: id, binaryPropertyName: 'marker', options: { output: 'itemPerFile' } });
			expect(items).toHaveLength(3);
			const expected = markers();
			for (const [index, item] of items.entries()) {
				expect(Object.keys(item.binary ?? {})).toEqual(['marker']);
				expect(item.pairedItem).toEqual({ item: 0 });
				expect(item.json).toMatchObject({ sessionId: id, fileSize: expected[index].length });
				expect((await fileBytes(item, 'marker')).equals(expected[index])).toBe(true);
			}
		});

		test('a malformed data URI names which file', async () => {
			const id = sb.createCompletedSession();
			sb.faults.add({ kind: 'malformedDataUri', path: 'get-visual-markers' });
			await expect(media('getVisualMarkers', { sessionId: id })).rejects.toThrow(
				'Session Media → Get Visual Markers: Identomat\'s answer could not be read: visual marker 1 of 3 is not a readable base64 data URI',
			);
		});

		test('a session without visual markers: not-found', async () => {
			const id = sb.createCompletedSession({ visualMarkers: false });
			await expect(media('getVisualMarkers', { sessionId: id })).rejects.toThrow('Identomat found nothing with this ID');
		});
	});

	describe('getQuestionFile', () => {
		test('every file of a question: step and question keys sent, no file index', async () => {
			const id = sb.createCompletedSession();
			const [[item]] = await media('getQuestionFile', { sessionId: id, stepKey: STEP, questionKey: 'question-1' });
			const request = expectSessionRequest(sb, 'get-question-file', 'api', id);
			expect(request.fields).toMatchObject({ stepKey: STEP, questionKey: 'question-1' });
			expect(request.fields).not.toHaveProperty('fileIndex');
			expect(item.json).toMatchObject({ sessionId: id, stepKey: STEP, questionKey: 'question-1', fileCount: 2 });
			await expectFile(item, 'data', {
				mimeType: 'image/jpeg',
				extension: 'jpg',
				fileName: `${id}-question-1-file-0.jpg`,
				bytes: sb.fixtures['utility-bill.jpg'],
			});
			await expectFile(item, 'data_1', {
				mimeType: 'image/png',
				extension: 'png',
				fileName: `${id}-question-1-file-1.png`,
				bytes: sb.fixtures['marker.png'],
			});
		});

		test('one file by File Index', async () => {
			const id = sb.createCompletedSession();
			const [[item, ...rest]] = await media('getQuestionFile', {
				sessionId: id,
				stepKey: STEP,
				questionKey: 'question-1',
				options: { fileIndex: 1, output: 'itemPerFile' },
			});
			expect(rest).toHaveLength(0);
			expect(requestsTo(sb, 'get-question-file')[0].fields.fileIndex).toBe(1);
			expect(item.json).toMatchObject({ fileIndex: 1, fileName: `${id}-question-1-file-1.png`, mimeType: 'image/png' });
			await expectFile(item, 'data', {
				mimeType: 'image/png',
				extension: 'png',
				fileName: `${id}-question-1-file-1.png`,
				bytes: sb.fixtures['marker.png'],
			});
		});

		test('an empty Step Key is named with the item, before calling Identomat', async () => {
			const id = sb.createCompletedSession();
			await expect(media('getQuestionFile', { sessionId: id, stepKey: BLANK, questionKey: 'question-1' })).rejects.toThrow(
				'"Step Key" is empty in item 1',
			);
			expect(requestsTo(sb, 'get-question-file')).toHaveLength(0);
		});

		test('a negative File Index is named with the item', async () => {
			const id = sb.createCompletedSession();
			await expect(
				media('getQuestionFile', { sessionId: id, stepKey: STEP, questionKey: 'question-1', options: { fileIndex: -1 } }),
			).rejects.toThrow('"File Index" in item 1 must be a whole number of 0 or more');
			expect(requestsTo(sb, 'get-question-file')).toHaveLength(0);
		});

		test('an unknown question or a file index out of range: not-found', async () => {
			const id = sb.createCompletedSession();
			await expect(
				media('getQuestionFile', { sessionId: id, stepKey: STEP, questionKey: 'question-1', options: { fileIndex: 7 } }),
			).rejects.toThrow('Identomat found nothing with this ID');
		});

		test('a malformed data URI names which file', async () => {
			const id = sb.createCompletedSession();
			sb.faults.add({ kind: 'malformedDataUri', path: 'get-question-file', variant: 'noComma' });
			await expect(
				media('getQuestionFile', { sessionId: id, stepKey: STEP, questionKey: 'question-1' }),
			).rejects.toThrow('questionnaire file 1 of 2 is not a readable base64 data URI');
		});
	});

	describe('failures', () => {
		test.each([
			['getCardFront', 'Session Media → Get Document Front'],
			['getFaceVideo', 'Session Media → Get Liveness Video'],
			['getDocumentFacePhoto', 'Session Media → Get Document Face Photo'],
			['getVisualMarkers', 'Session Media → Get Visual Markers'],
		])('%s of an unknown session: our message', async (operation, action) => {
			await expect(media(operation, { sessionId: 'x'.repeat(40) })).rejects.toThrow(`${action}: Identomat has no session with this ID`);
		});

		test.each([
			['getPassport', { passport: false }],
			['getFaceVideo', { liveness: false }],
			['getFaceDocument', { faceDocument: false }],
		])('%s of a session without that media: not-found, explained', async (operation, opts) => {
			const id = sb.createCompletedSession(opts);
			const error = await media(operation, { sessionId: id }).catch((e: Error & { description?: string }) => e);
			expect(error).toBeInstanceOf(Error);
			expect((error as Error).message).toContain('Identomat found nothing with this ID');
			expect((error as { description?: string }).description).toContain('no such file');
		});

		describe('a session the person has not finished', () => {
			/** A session begun by Session → Create, as the person has left it: in progress. */
			async function unfinishedSession() {
				const [[created]] = await runOperation(sb, 'session', 'create');
				return String(created.json.sessionId);
			}

			test.each([
				['getFaceVideo', 'Session Media → Get Liveness Video', 'result/face-video/', {}],
				['getCardFront', 'Session Media → Get Document Front', 'result/card-front/', {}],
				['getDocumentFacePhoto', 'Session Media → Get Document Face Photo', 'get-session-main-document-face-photo', {}],
				['getVisualMarkers', 'Session Media → Get Visual Markers', 'get-visual-markers', {}],
				['getGeneralDocument', 'Session Media → Get Proof of Address', 'result/general-document/', { typeId: 'utility-bill' }],
			])('%s: says the person has not finished, not that the ID is wrong; after Approve the file comes', async (operation, action, path, parameters) => {
				const id = await unfinishedSession();
				sb.clearRequests();
				const error = await failureOf(media(operation, { sessionId: id, ...parameters }));
				expect(error.message).toBe(`${action}: The person has not finished this session yet`);
				expect(error.description).toContain('(Identomat reports it as "in_progress")');
				expect(error.description).toContain('Session → Get Result says approved or rejected');
				expect(requestsTo(sb, path)).toHaveLength(1);
				expect(requestsTo(sb, 'result/')).toHaveLength(1); // the status, read only because the file was not there

				sb.completeSession(id);
				sb.clearRequests();
				const [[item]] = await media(operation, { sessionId: id, ...parameters });
				expect(item.binary?.data ?? item.binary?.data_0).toBeDefined();
				expect(requestsTo(sb, 'result/')).toHaveLength(0); // the happy path costs nothing extra
			});

			test('a finished session without that file still says it has no such file', async () => {
				const id = sb.createCompletedSession({ liveness: false });
				const error = await failureOf(media('getFaceVideo', { sessionId: id }));
				expect(error.message).toBe('Session Media → Get Liveness Video: Identomat found nothing with this ID');
				expect(requestsTo(sb, 'result/')).toHaveLength(1);
			});

			test('Continue On Fail: the unfinished session is an error item of its own, the others go on', async () => {
				const done = sb.createCompletedSession();
				const unfinished = await unfinishedSession();
				const [items] = await media('getFace', { sessionId: '={{ $json.id }}' }, { items: [{ id: done }, { id: unfinished }], continueOnFail: true });
				expect(items[0].binary?.data.mimeType).toBe('image/jpeg');
				expect(items[1].json.error).toBe('Session Media → Get Face Image: The person has not finished this session yet');
			});
		});

		test('a download cut off once is retried and arrives whole', async () => {
			const id = sb.createCompletedSession();
			sb.faults.add({ kind: 'truncate', path: 'result/card-front/' });
			const [[item]] = await media('getCardFront', { sessionId: id });
			expect(requestsTo(sb, 'result/card-front/')).toHaveLength(2);
			expect((await fileBytes(item)).equals(sb.fixtures['card-front.jpg'])).toBe(true);
		});

		test('a download cut off every time: the cut-off message, nothing stored', async () => {
			const id = sb.createCompletedSession();
			sb.faults.add({ kind: 'truncate', path: 'result/card-front/', times: Infinity });
			await expect(media('getCardFront', { sessionId: id })).rejects.toThrow('The answer from Identomat was cut off before it was complete');
		});

		test('a streamed video cut off once is downloaded again from the start', async () => {
			const id = sb.createCompletedSession();
			sb.faults.add({ kind: 'truncate', path: 'result/face-video/' });
			const [[item]] = await media('getFaceVideo', { sessionId: id });
			expect(requestsTo(sb, 'result/face-video/')).toHaveLength(2);
			expect(item.binary!.data.bytes).toBe(VIDEO_BYTES);
			const expected = await rawAnswer(sb, 'widget', 'result/face-video/', { session_token: id });
			expect((await fileBytes(item)).equals(expected)).toBe(true);
		});

		test('a streamed video cut off every time: the cut-off message', async () => {
			const id = sb.createCompletedSession();
			sb.faults.add({ kind: 'truncate', path: 'result/face-video/', times: Infinity });
			await expect(media('getFaceVideo', { sessionId: id })).rejects.toThrow('The answer from Identomat was cut off before it was complete');
			expect(requestsTo(sb, 'result/face-video/')).toHaveLength(4); // the retry policy of every read
		});

		test('Continue On Fail: the failing item becomes an error item paired with it, the others go on', async () => {
			const id = sb.createCompletedSession();
			const noPassport = sb.createCompletedSession({ passport: false });
			const [items] = await media(
				'getPassport',
				{ sessionId: '={{ $json.id }}' },
				{ items: [{ id }, { id: 'u'.repeat(40) }, { id: noPassport }, { id }], continueOnFail: true },
			);
			expect(items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
			expect(items[0].binary?.data.fileName).toBe(`${id}-passport.jpg`);
			expect(items[1].json).toMatchObject({ error: 'Session Media → Get Passport Page: Identomat has no session with this ID', code: 'session-not-found' });
			expect(items[1].binary).toBeUndefined();
			expect(items[2].json).toMatchObject({ code: 'not-found' });
			expect((await fileBytes(items[3])).equals(sb.fixtures['passport.jpg'])).toBe(true);
		});
	});
});

describe.each(['default', 'filesystem'] as const)('Session Media with HMAC signatures, binary mode %s', (mode) => {
	beforeAll(async () => await useBinaryMode(mode));
	const { signed, tamperingUrl } = signedSandboxWithTamperingProxy({ videoBytes: VIDEO_BYTES });

	const run = (operation: string, sessionId: string, base?: string) => runOperation(signed, 'media', operation, { sessionId }, { base });

	test.each([
		['getCardFront', 'result/card-front/'],
		['getFaceVideo', 'result/face-video/'],
		['getDocumentFacePhoto', 'get-session-main-document-face-photo'],
	])('%s: signed requests, verified answers', async (operation, path) => {
		const id = signed.createCompletedSession();
		const [[item]] = await run(operation, id);
		expect(requestsTo(signed, path).map((r) => r.signature)).toEqual(['valid']);
		expect(item.binary?.data).toBeDefined();
	});

	test.each([
		['getCardFront', 'result/card-front/'],
		['getFaceVideo', 'result/face-video/'],
		['getDocumentFacePhoto', 'get-session-main-document-face-photo'],
	])('%s: an answer altered on the way fails the signature check', async (operation) => {
		const id = signed.createCompletedSession();
		await expect(run(operation, id, tamperingUrl())).rejects.toThrow("Identomat's answer failed the signature check");
	});
});

describe('Session Media: a large liveness video in filesystem mode', () => {
	// Large enough that a copy of the file, or a good part of it, would stand out from what a busy
	// machine keeps in flight (a peak of +35 MB was seen with a 32 MB video under heavy load).
	const SIZE = 96 * 1024 * 1024;
	beforeAll(async () => await useBinaryMode('filesystem'));
	const big = sandboxForFile({ videoBytes: SIZE });

	test('is streamed to storage: the whole file arrives, the memory does not grow by its size', async () => {
		const id = big.createCompletedSession();
		const concatSizes: number[] = [];
		const concat = Buffer.concat;
		const spy = jest.spyOn(Buffer, 'concat').mockImplementation((list, length) => {
			const out = concat(list, length);
			concatSizes.push(out.length);
			return out;
		});
		// Live memory only: collect garbage before each sample, so what waits for collection (the
		// chunks already written to disk) does not count. V8 frees the memory of dead buffers on a
		// background thread after a collection, so a sample could still count chunks long written,
		// more of them the busier the machine: freed during the collection instead, it counts none.
		setFlagsFromString('--expose-gc');
		setFlagsFromString('--no-concurrent-array-buffer-sweeping');
		const gc = runInNewContext('gc') as () => void;
		const live = () => {
			gc();
			const m = process.memoryUsage();
			return m.heapUsed + m.arrayBuffers;
		};
		const baseline = live();
		let peak = 0;
		// once a second: each forced collection of this large heap takes a good part of a second itself
		const sampler = setInterval(() => (peak = Math.max(peak, live() - baseline)), 1000);
		let item;
		try {
			[[item]] = await runOperation(big, 'media', 'getFaceVideo', { sessionId: id });
			peak = Math.max(peak, live() - baseline);
		} finally {
			clearInterval(sampler);
			spy.mockRestore();
			setFlagsFromString('--concurrent-array-buffer-sweeping');
		}
		expect(item.binary!.data.id).toBeDefined();
		expect(item.binary!.data.bytes).toBe(SIZE);
		expect(item.json).toMatchObject({ fileName: `${id}-liveness.webm`, mimeType: 'video/webm', fileSize: SIZE });
		// Nothing joined the video into one buffer, and live memory stayed well under the file's size
		// (a rough sanity check; the benchmark measures it properly).
		expect(Math.max(0, ...concatSizes)).toBeLessThan(SIZE / 4);
		expect(peak).toBeLessThan(SIZE / 3);
		// The stored file is the video the sandbox sent, byte for byte.
		const expected = createHash('sha256');
		for await (const chunk of sandboxMedia.videoSource(SIZE).open()) expected.update(chunk);
		const stored = await fileBytes(item);
		expect(stored.length).toBe(SIZE);
		expect(createHash('sha256').update(stored).digest('hex')).toBe(expected.digest('hex'));
	}, 240_000); // generous: forced garbage collections are slow on a busy 2-core machine
});
