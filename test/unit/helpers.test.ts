/** Pure helpers: file type sniffing, data URIs, signatures, dates. */
import type { IExecuteFunctions } from 'n8n-workflow';

import { isoDate } from '../../nodes/Identomat/actions/shared/parameters';
import { decodeDataUri, flattenStrings } from '../../nodes/Identomat/files/dataUri';
import { fileTypeOf, sniffFileType } from '../../nodes/Identomat/files/fileType';
import { signBody, signParts, signaturesMatch } from '../../nodes/shared/transport/signing';

import { fixtures } from '../../sandbox/media.ts';
import * as hmac from '../../sandbox/hmac.ts';

const ctx = { getNode: () => ({ name: 'Identomat' }) } as unknown as IExecuteFunctions;

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
		expect(sniffFileType(Buffer.concat([Buffer.alloc(257), Buffer.from('ustar\0')]))?.mimeType).toBe('application/x-tar');
		expect(sniffFileType(Buffer.from('\0\0\0\x18ftypisom', 'latin1'))?.mimeType).toBe('video/mp4');
		expect(sniffFileType(Buffer.from([0x1f, 0x8b, 8]))?.mimeType).toBe('application/gzip');
	});

	test('each type has a name a person reads, with its article', () => {
		expect(sniffFileType(fixtures['liveness.webm'])?.label).toBe('a WebM video');
		expect(sniffFileType(Buffer.from('\0\0\0\x18ftypisom', 'latin1'))?.label).toBe('an MP4 video');
		expect(sniffFileType(Buffer.from('%PDF-1.7'))?.label).toBe('a PDF document');
		expect(fileTypeOf(Buffer.from('hello'), 'application/x-msdownload').label).toBe('a file of unknown type');
	});

	test('a misleading declared type is ignored; unknown bytes fall back to octet-stream', () => {
		expect(fileTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'text/plain').mimeType).toBe('image/jpeg');
		expect(fileTypeOf(Buffer.from('hello'), 'application/x-unknown')).toMatchObject({ mimeType: 'application/octet-stream', extension: 'bin' });
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
