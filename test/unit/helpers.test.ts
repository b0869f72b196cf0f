/** Pure helpers: file type sniffing, data URIs, the tar reader, signatures, dates. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { isoDate } from '../../nodes/Identomat/actions/shared/parameters';
import { decodeDataUri, flattenStrings } from '../../nodes/Identomat/helpers/dataUri';
import { fileTypeOf, sniffFileType } from '../../nodes/Identomat/helpers/fileType';
import { readTar, TarFormatError } from '../../nodes/Identomat/helpers/tar';
import { signBody, signParts, signaturesMatch } from '../../nodes/Identomat/transport/signing';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { fixtures } = require('../sandbox/media');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const hmac = require('../sandbox/hmac');

const ctx = { getNode: () => ({ name: 'Identomat' }) } as unknown as IExecuteFunctions;

function tar(entries: Array<[string, Buffer]>): Buffer {
	const blocks: Buffer[] = [];
	for (const [name, data] of entries) {
		const header = Buffer.alloc(512);
		header.write(name, 0);
		header.write('0000644\0', 100);
		header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
		header.write('ustar\0', 257);
		header.write('00', 263);
		header.write('0', 156);
		header.fill(' ', 148, 156);
		let sum = 0;
		for (const byte of header) sum += byte;
		header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
		blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
	}
	blocks.push(Buffer.alloc(1024));
	return Buffer.concat(blocks);
}

/** The archive fed in chunks of `chunkSize` bytes, as a network stream would. */
async function* inChunks(buffer: Buffer, chunkSize: number) {
	for (let at = 0; at < buffer.length; at += chunkSize) yield buffer.subarray(at, at + chunkSize);
}

/** Every entry, whole, and how many pieces its bytes came in. */
async function entries(buffer: Buffer, chunkSize = buffer.length) {
	const out = [];
	for await (const entry of readTar(inChunks(buffer, chunkSize))) {
		const pieces: Buffer[] = [];
		for await (const piece of entry.body) pieces.push(piece);
		out.push({ name: entry.name, size: entry.size, data: Buffer.concat(pieces), pieces: pieces.length });
	}
	return out;
}

describe('file types come from the bytes', () => {
	test.each([
		['card-front.jpg', 'image/jpeg', 'jpg'],
		['liveness.webm', 'video/webm', 'webm'],
	])('%s is %s', (name, mimeType, extension) => {
		const file = fixtures[name];
		expect(sniffFileType(file)).toMatchObject({ mimeType, extension });
	});

	test('PDF, PNG, tar, MP4 and gzip by their signatures', () => {
		expect(sniffFileType(Buffer.from('%PDF-1.7'))?.mimeType).toBe('application/pdf');
		expect(sniffFileType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d]))?.mimeType).toBe('image/png');
		expect(sniffFileType(tar([['a.webm', Buffer.from('x')]]))?.mimeType).toBe('application/x-tar');
		expect(sniffFileType(Buffer.from('\0\0\0\x18ftypisom', 'latin1'))?.mimeType).toBe('video/mp4');
		expect(sniffFileType(Buffer.from([0x1f, 0x8b, 8]))?.mimeType).toBe('application/gzip');
	});

	test('a misleading declared type is ignored; unknown bytes fall back to octet-stream', () => {
		expect(fileTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'text/plain').mimeType).toBe('image/jpeg');
		expect(fileTypeOf(Buffer.from('hello'), 'text/plain')).toMatchObject({ mimeType: 'application/octet-stream', extension: 'bin' });
	});
});

describe('data URIs', () => {
	test('decoded whatever type they declare, nested arrays flattened in order', () => {
		const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xdb, 1, 2, 3]);
		const uri = `data:application/x-tar;base64,${jpeg.toString('base64')}`;
		expect(decodeDataUri(uri)).toEqual(jpeg);
		expect(flattenStrings([['a', 'b'], ['c'], [['d']]])).toEqual(['a', 'b', 'c', 'd']);
	});

	test.each(['data:text/plain;base64', 'data:text/plain;base64,%%%', 'data:text/plain,plain', 'http://x'])(
		'%s is not a usable data URI',
		(uri) => expect(decodeDataUri(uri)).toBeUndefined(),
	);
});

describe('tar reader', () => {
	test('yields each file whole, in order', async () => {
		const a = Buffer.alloc(700, 1);
		const b = Buffer.alloc(3, 2);
		const read = await entries(tar([['recording-1.webm', a], ['recording-2.webm', b]]));
		expect(read.map((e) => e.name)).toEqual(['recording-1.webm', 'recording-2.webm']);
		expect(read[0].data.equals(a)).toBe(true);
		expect(read[1].data.equals(b)).toBe(true);
	});

	test('streams each file in the pieces it arrives in, never whole', async () => {
		const a = Buffer.alloc(5000, 1);
		const read = await entries(tar([['recording-1.webm', a], ['recording-2.webm', Buffer.alloc(10, 2)]]), 1000);
		expect(read[0]).toMatchObject({ name: 'recording-1.webm', size: 5000, pieces: 6 });
		expect(read[0].data.equals(a)).toBe(true);
		expect(read[1].data.equals(Buffer.alloc(10, 2))).toBe(true);
	});

	test('a file its reader leaves unread is skipped, and the next one is still found', async () => {
		const archive = tar([['skip.webm', Buffer.alloc(1500, 1)], ['keep.webm', Buffer.alloc(700, 2)]]);
		const kept: Buffer[] = [];
		for await (const entry of readTar(inChunks(archive, 300))) {
			if (entry.name === 'skip.webm') {
				await entry.body.next(); // read one piece only
				continue;
			}
			for await (const piece of entry.body) kept.push(piece);
		}
		expect(Buffer.concat(kept).equals(Buffer.alloc(700, 2))).toBe(true);
	});

	test('a cut-off archive and a bad checksum are reported', async () => {
		const whole = tar([['r.webm', Buffer.alloc(2000, 1)]]);
		await expect(entries(whole.subarray(0, 1500))).rejects.toThrow(TarFormatError);
		const corrupt = Buffer.from(whole);
		corrupt[10] ^= 0xff;
		await expect(entries(corrupt)).rejects.toThrow('checksum');
	});
});

describe('HMAC signatures agree with the sandbox (an independent implementation)', () => {
	test('plain bodies and chained multipart parts', () => {
		expect(signBody('s3cret', '{"a":1}')).toBe(hmac.signBody('s3cret', Buffer.from('{"a":1}')));
		const parts = [Buffer.from('key'), Buffer.from('field'), Buffer.alloc(100, 7)];
		expect(signParts('s3cret', parts)).toBe(hmac.signParts('s3cret', parts));
		expect(signaturesMatch(signBody('s', 'x'), signBody('s', 'x'))).toBe(true);
		expect(signaturesMatch(signBody('s', 'x'), signBody('s', 'y'))).toBe(false);
		expect(signaturesMatch(signBody('s', 'x'), undefined)).toBe(false);
	});
});

describe('dates', () => {
	test("the date picker's zone-less value is read as that calendar day", () => {
		expect(isoDate(ctx, 0, '1982-12-12T00:00:00', 'Birthday From')).toBe('1982-12-12T00:00:00.000Z');
		expect(isoDate(ctx, 0, '1982-12-12', 'Birthday From')).toBe('1982-12-12T00:00:00.000Z');
		expect(isoDate(ctx, 0, '2024-05-01T12:00:00+02:00', 'Updated After')).toBe('2024-05-01T10:00:00.000Z');
		expect(isoDate(ctx, 0, '', 'Updated After')).toBeUndefined();
	});

	test('an impossible date names the parameter and the item', () => {
		expect(() => isoDate(ctx, 2, '1982-13-45', 'Birthday From')).toThrow('"Birthday From" in item 3 is not a date');
	});
});
