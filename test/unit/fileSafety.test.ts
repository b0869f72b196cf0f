/**
 * The pure rules behind what the nodes fetch and write: which links count as internal (refused
 * before any connection), the one function that makes every file name, and which declared types
 * are kept for bytes that match no known type.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { toBinary } from '../../nodes/Identomat/files/binary';
import { MAX_FILE_NAME_BYTES, safeFileName } from '../../nodes/Identomat/files/fileName';
import { fileTypeOf } from '../../nodes/Identomat/files/fileType';
import { internalAddressReason } from '../../nodes/Identomat/imageInput/internalAddress';

const reason = (link: string) => internalAddressReason(new URL(link));

describe('internal addresses are recognised from the link alone', () => {
	test.each([
		['http://127.0.0.2/a.jpg', 'a loopback address'],
		['http://2130706433/', 'a loopback address'], // decimal spelling of 127.0.0.1
		['http://0x7f.1/', 'a loopback address'], // hex
		['http://0177.0.0.2/', 'a loopback address'], // octal
		['http://127.1/', 'a loopback address'],
		['http://0/', 'a "this network" address'],
		['http://10.1.2.3/', 'a private network address'],
		['http://172.16.0.1/', 'a private network address'],
		['http://172.31.255.255/', 'a private network address'],
		['http://192.168.1.1/', 'a private network address'],
		['http://100.64.0.1/', 'a carrier-grade NAT address'],
		['http://100.100.100.200/', 'a carrier-grade NAT address'], // Alibaba Cloud metadata
		['http://169.254.169.254/latest/meta-data/', 'a link-local address (where cloud metadata services live)'],
		['http://255.255.255.255/', 'a reserved address'],
		['http://[::1]/', 'a "this network" address (written as IPv6)'],
		['http://[::]/', 'a "this network" address (written as IPv6)'],
		['http://[::ffff:127.0.0.2]/', 'a loopback address (written as IPv6)'],
		['http://[::ffff:7f00:2]/', 'a loopback address (written as IPv6)'],
		['http://[::ffff:169.254.169.254]/', 'a link-local address (where cloud metadata services live) (written as IPv6)'],
		['http://[64:ff9b::10.0.0.1]/', 'a private network address (written as IPv6)'],
		['http://[2002:7f00:1::]/', 'a loopback address (written as IPv6)'],
		['http://[fe80::1]/', 'a link-local IPv6 address'],
		['http://[fd00:ec2::254]/', 'a unique-local (private) IPv6 address'], // AWS metadata over IPv6
		['http://[fc00::1]/', 'a unique-local (private) IPv6 address'],
		['http://[ff02::1]/', 'a multicast address'],
		['http://localhost:8080/', 'a name for this machine'],
		['http://LocalHost./', 'a name for this machine'],
		['http://images.localhost/', 'a name for this machine'],
		['http://metadata.google.internal/computeMetadata/v1/', 'a name of an internal network'],
		['http://metadata/', 'a name without a domain, which only an internal network knows'],
		['http://fileserver/photo.jpg', 'a name without a domain, which only an internal network knows'],
		['http://printer.local/', 'a name of an internal network'],
	])('%s is %s', (link, expected) => {
		expect(reason(link)).toBe(expected);
	});

	test.each([
		'https://crm.example.com/files/passport.jpg',
		'http://8.8.8.8/a.jpg',
		'http://172.32.0.1/',
		'http://100.128.0.1/',
		'http://[2001:db8::1]/',
		'http://[::ffff:8.8.8.8]/',
		'http://169.255.0.1/',
	])('%s is public', (link) => {
		expect(reason(link)).toBeUndefined();
	});
});

describe('one function makes every file name', () => {
	test('no path: separators, traversal and leading dots are gone', () => {
		expect(safeFileName('../../etc/passwd', 'jpg')).toBe('etc-passwd.jpg');
		expect(safeFileName('..\\..\\windows\\system32', 'png')).toBe('windows-system32.png');
		expect(safeFileName('.hidden', 'txt')).toBe('hidden.txt');
		expect(safeFileName('../', 'jpg')).toBe('file.jpg');
		expect(safeFileName('', 'jpg', 'image')).toBe('image.jpg');
	});

	test('only letters, digits, dot, underscore and dash; control characters and spaces become a dash', () => {
		expect(safeFileName('a b\u0000c\nd%2Fe', 'webm')).toBe('a-b-c-d-2Fe.webm');
		expect(safeFileName('Ñandú_ß-1', 'jpg')).toBe('Ñandú_ß-1.jpg');
		expect(safeFileName('x', '../sh')).toBe('x.sh');
	});

	test('the Session ID part of an output name goes through it too (no `../` into the binary folder)', async () => {
		const ctx = {
			helpers: { prepareBinaryData: async (_: Buffer, fileName: string, mimeType: string) => ({ fileName, mimeType }) },
		} as unknown as IExecuteFunctions;
		const bytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0]);
		const file = await toBinary(ctx, bytes, bytes, '../../tmp/x y-card-front');
		expect(file.fileName).toBe('tmp-x-y-card-front.jpg');
	});

	test(`at most ${MAX_FILE_NAME_BYTES} bytes of UTF-8, never cut inside a character`, () => {
		const long = safeFileName('a'.repeat(3046), 'webm');
		expect(Buffer.byteLength(long)).toBe(MAX_FILE_NAME_BYTES);
		expect(long.endsWith('.webm')).toBe(true);
		const wide = safeFileName('ü'.repeat(300), 'jpg');
		expect(Buffer.byteLength(wide)).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES);
		expect(wide).toMatch(/^ü+\.jpg$/);
	});
});

describe('declared types are kept only when harmless', () => {
	const unknownBytes = Buffer.from('<html><script>alert(1)</script></html>');

	test.each(['text/html', 'image/svg+xml', 'application/x-msdownload', 'application/javascript', 'constructor', ''])(
		'bytes that match no type, declared %p, are octet-stream .bin',
		(declared) => {
			expect(fileTypeOf(unknownBytes, declared)).toMatchObject({ mimeType: 'application/octet-stream', extension: 'bin' });
		},
	);

	test.each([
		['application/pdf', 'pdf'],
		['image/tiff', 'tiff'],
		['video/mp4; codecs="avc1"', 'mp4'],
		['TEXT/PLAIN; charset=utf-8', 'txt'],
	])('declared %s is kept (.%s)', (declared, extension) => {
		expect(fileTypeOf(Buffer.from('plain bytes'), declared).extension).toBe(extension);
	});
});
