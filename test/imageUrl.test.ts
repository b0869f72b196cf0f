/**
 * Image Source: Image URL on Document → Read … and Face → Compare, in-process through n8n-core
 * (the link fetched by n8n's own `helpers.httpRequest`) against a file server on 127.0.0.1: what
 * Identomat receives for a good link, and the message a person reads for a link that is too big,
 * not an image, unreachable, missing or not a link at all, naming the parameter and the item.
 * The file server stands for a public host in two ways: reached as 127.0.0.1 with "Allow Internal
 * Addresses" on, or by the name images.example.com (resolved to 127.0.0.1 in this process only)
 * with it off. A second server on 127.0.0.2 stands for an internal service (cloud metadata, an
 * admin panel): the node must never reach it unless told to.
 */
import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject } from 'n8n-workflow';

import { sha256 } from './helpers/downloads';
import { failureOf, identomatRequests, runOperation, sandboxForFile } from './helpers/sandbox';

const sb = sandboxForFile();

const MB = 1024 * 1024;

/** A port on 127.0.0.1 nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
	const probe = http.createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as AddressInfo;
	await new Promise<void>((resolve) => probe.close(() => resolve()));
	return port;
}
let files: http.Server;
let base = '';
/** The file server by a public-looking name. */
let publicBase = '';
/** What the file server was asked for, in order. */
const asked: string[] = [];
/** The internal service on 127.0.0.2, and what it was asked for. */
let internal: http.Server;
let internalPort = 0;
const internalAsked: string[] = [];

const PUBLIC_NAME = 'images.example.com';
const realLookup = dns.lookup;

/** Resolves PUBLIC_NAME to 127.0.0.1 in this process (the node itself never resolves names). */
function fakePublicName() {
	(dns as { lookup: unknown }).lookup = (host: string, options: unknown, callback?: unknown) => {
		const done = (typeof options === 'function' ? options : callback) as (
			...args: unknown[]
		) => void;
		const opts =
			typeof options === 'object' && options !== null ? (options as { all?: boolean }) : {};
		if (host !== PUBLIC_NAME)
			return (realLookup as (...args: unknown[]) => void)(host, options, callback);
		return opts.all
			? done(null, [{ address: '127.0.0.1', family: 4 }])
			: done(null, '127.0.0.1', 4);
	};
}

/** A byte every `ms` after a JPEG's first bytes, until the client goes away. */
function drip(res: http.ServerResponse, ms: number) {
	res.writeHead(200, { 'content-type': 'image/jpeg' });
	res.write(Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
	const timer = setInterval(() => res.write(Buffer.from([0])), ms);
	res.on('close', () => clearInterval(timer));
}

beforeAll(async () => {
	fakePublicName();
	files = http.createServer((req, res) => {
		const url = new URL(req.url!, 'http://127.0.0.1');
		asked.push(url.pathname);
		if (url.pathname === '/to-internal') {
			return res
				.writeHead(302, { location: `http://127.0.0.2:${internalPort}/latest/meta-data/` })
				.end();
		}
		if (url.pathname === '/to-internal-decimal') {
			return res.writeHead(301, { location: `http://2130706434:${internalPort}/admin.jpg` }).end();
		}
		const hop = /^\/hop\/(\d+)$/.exec(url.pathname);
		if (hop) {
			const left = Number(hop[1]);
			const next = left === 0 ? '/files/card-front.jpg' : `/hop/${left - 1}`;
			return res.writeHead(307, { location: next }).end();
		}
		if (url.pathname === '/loop') return res.writeHead(302, { location: '/loop' }).end();
		if (url.pathname === '/to-file-scheme')
			return res.writeHead(302, { location: 'file:///etc/passwd' }).end();
		if (url.pathname.startsWith('/named/')) {
			res.writeHead(200, { 'content-type': 'image/jpeg' });
			return res.end(sb.fixtures['card-front.jpg']);
		}
		if (url.pathname === '/drip.jpg') return drip(res, 250);
		if (url.pathname === '/stall.jpg') {
			res.writeHead(200, { 'content-type': 'image/jpeg' });
			return res.write(Buffer.from([0xff, 0xd8, 0xff, 0xe0]));
		}
		if (url.pathname === '/no-answer.jpg') return; // headers never come
		const fixture = /^\/files\/([\w.-]+\.(?:jpg|png))$/.exec(url.pathname)?.[1];
		if (fixture && sb.fixtures[fixture]) {
			res.writeHead(200, { 'content-type': fixture.endsWith('.png') ? 'image/png' : 'image/jpeg' });
			return res.end(sb.fixtures[fixture]);
		}
		if (url.pathname === '/huge.jpg') {
			// 11 MB of "JPEG", sent without a length: only counting the bytes can stop it.
			res.writeHead(200, { 'content-type': 'image/jpeg' });
			res.write(sb.fixtures['card-front.jpg']);
			const chunk = Buffer.alloc(MB);
			let sent = 0;
			const more = () => {
				while (sent < 11 && !res.destroyed) {
					sent++;
					if (!res.write(chunk)) return res.once('drain', more);
				}
				res.end();
			};
			return more();
		}
		if (url.pathname === '/declared-huge.jpg') {
			res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(20 * MB) });
			return res.write(sb.fixtures['card-front.jpg']);
		}
		if (url.pathname === '/share/id-front') {
			res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
			return res.end('<!doctype html><html><body><img src="/files/card-front.jpg"></body></html>');
		}
		res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
	});
	await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
	const port = (files.address() as AddressInfo).port;
	base = `http://127.0.0.1:${port}`;
	publicBase = `http://${PUBLIC_NAME}:${port}`;
	internal = http.createServer((req, res) => {
		internalAsked.push(req.url!);
		res.writeHead(200, { 'content-type': 'image/jpeg' }).end(sb.fixtures['card-front.jpg']);
	});
	await new Promise<void>((resolve) => internal.listen(0, '127.0.0.2', resolve));
	internalPort = (internal.address() as AddressInfo).port;
});

afterAll(async () => {
	(dns as { lookup: unknown }).lookup = realLookup;
	for (const server of [files, internal]) {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
});

beforeEach(() => {
	asked.length = 0;
	internalAsked.length = 0;
});

const uploads = () => identomatRequests(sb);

async function run(
	resource: string,
	operation: string,
	parameters: IDataObject,
	items: IDataObject[] = [{}],
) {
	const [out] = await runOperation(
		sb,
		resource,
		operation,
		{ imageSource: 'url', allowInternalAddresses: true, ...parameters },
		{ items },
	);
	return out;
}

/** As a user who left "Allow Internal Addresses" off (its default) would run it. */
const readCardDefault = (imageUrl: string, extra: IDataObject = {}) =>
	run('document', 'readIdCardFront', { imageUrl, allowInternalAddresses: false, ...extra });

const readCard = (imageUrl: string, items?: IDataObject[]) =>
	run('document', 'readIdCardFront', { imageUrl }, items);

describe('Image URL', () => {
	test('Document → Read ID Card Front sends the linked photo to Identomat, as it is', async () => {
		const out = await readCard(`${base}/files/card-front.jpg`);
		expect(out[0].json).toMatchObject({
			firstName: 'JOHN',
			lastName: 'DOE',
			documentNumber: 'AB0002261',
		});
		const [request, ...more] = uploads();
		expect(more).toHaveLength(0);
		const photo = sb.fixtures['card-front.jpg'];
		expect(request.files).toEqual([
			{
				field: 'image',
				filename: 'card-front.jpg',
				contentType: 'image/jpeg',
				size: photo.length,
				sha256: sha256(photo),
			},
		]);
		expect(asked).toEqual(['/files/card-front.jpg']);
	});

	test('each item fetches its own link (an expression), and Face → Compare takes two', async () => {
		const out = await run(
			'face',
			'compare',
			{ imageUrl: '={{ $json.selfie }}', secondImageUrl: '={{ $json.document }}' },
			[
				{ selfie: `${base}/files/face.jpg`, document: `${base}/files/document-face.jpg` },
				{ selfie: `${base}/files/face.jpg`, document: `${base}/files/face.jpg` },
			],
		);
		expect(out.map((o) => o.json.similarity)).toEqual([expect.any(Number), 1]);
		expect(uploads().map((r) => r.files.map((f) => [f.field, f.size]))).toEqual([
			[
				['face1', sb.fixtures['face.jpg'].length],
				['face2', sb.fixtures['document-face.jpg'].length],
			],
			[
				['face1', sb.fixtures['face.jpg'].length],
				['face2', sb.fixtures['face.jpg'].length],
			],
		]);
	});

	test('a link to more than 10 MB is refused while it downloads, and nothing goes to Identomat', async () => {
		const error = await failureOf(readCard(`${base}/huge.jpg`));
		expect(error.message).toBe('The image at "Image URL" of item 1 is larger than 10 MB');
		expect(error.description).toContain('smaller version');
		expect(uploads()).toHaveLength(0);
	});

	test('a link whose server announces more than 10 MB is refused before the download', async () => {
		const error = await failureOf(readCard(`${base}/declared-huge.jpg`));
		expect(error.message).toBe('The image at "Image URL" of item 1 is larger than 10 MB');
		expect(uploads()).toHaveLength(0);
	});

	test('a link to a web page (a share link) says it is not the image, naming the item', async () => {
		const error = await failureOf(
			readCard('={{ $json.link }}', [
				{ link: `${base}/files/card-front.jpg` },
				{ link: `${base}/share/id-front` },
			]),
		);
		expect(error.message).toBe(
			'The file at "Image URL" of item 2 is a web page (HTML), not a JPEG or PNG image',
		);
		expect(error.description).toContain('not a page that shows it');
	});

	test('an unreachable link says nothing answered there, and which URL parameter it was', async () => {
		const port = await closedPort();
		const error = await failureOf(
			run('face', 'compare', {
				imageUrl: `${base}/files/face.jpg`,
				secondImageUrl: `http://127.0.0.1:${port}/face.jpg?token=s3cr3t-token`,
			}),
		);
		expect(error.message).toBe(
			`Could not fetch "Second Face Image URL" of item 1: nothing answered at 127.0.0.1:${port}`,
		);
		expect(error.description).toContain('The n8n server fetches the link itself');
		expect(`${error.message} ${error.description}`).not.toContain('s3cr3t-token');
		expect(uploads()).toHaveLength(0);
	});

	test('a link that answers 404, and text that is not a link', async () => {
		const missing = await failureOf(readCard(`${base}/files/gone.jpg`));
		expect(missing.message).toBe(
			`Could not fetch "Image URL" of item 1: 127.0.0.1:${new URL(base).port} answered HTTP 404`,
		);
		const notALink = await failureOf(readCard('passport.jpg'));
		expect(notALink.message).toBe('"Image URL" of item 1 is not a web address');
		expect(notALink.description).toContain('https://');
		const empty = await failureOf(readCard(' '));
		expect(empty.message).toBe('"Image URL" is empty in item 1');
	});
});

describe('Image URL: internal addresses are refused unless allowed', () => {
	test('a link to an internal address is refused before any connection, naming the parameter, the item and why', async () => {
		const error = await failureOf(
			readCardDefault(`http://127.0.0.2:${internalPort}/files/card-front.jpg`),
		);
		expect(error.message).toBe(
			`Refused to fetch "Image URL" of item 1: 127.0.0.2:${internalPort} is a loopback address`,
		);
		expect(error.description).toContain('Allow Internal Addresses');
		expect(internalAsked).toEqual([]);
		expect(uploads()).toHaveLength(0);
	});

	test.each([
		['decimal', 'http://2130706434:PORT/a.jpg', '127.0.0.2:PORT is a loopback address'],
		['hex', 'http://0x7f.0.0.2:PORT/a.jpg', '127.0.0.2:PORT is a loopback address'],
		[
			'IPv4-mapped IPv6',
			'http://[::ffff:127.0.0.2]:PORT/a.jpg',
			'[::ffff:7f00:2]:PORT is a loopback address (written as IPv6)',
		],
		['localhost', 'http://localhost:PORT/a.jpg', 'localhost:PORT is a name for this machine'],
		[
			'cloud metadata name',
			'http://metadata.google.internal/computeMetadata/v1/',
			'metadata.google.internal is a name of an internal network',
		],
		[
			'cloud metadata address',
			'http://169.254.169.254/latest/meta-data/',
			'169.254.169.254 is a link-local address (where cloud metadata services live)',
		],
	])('in any spelling (%s)', async (_, link, why) => {
		const error = await failureOf(readCardDefault(link.replace('PORT', String(internalPort))));
		expect(error.message).toBe(
			`Refused to fetch "Image URL" of item 1: ${why.replace('PORT', String(internalPort))}`,
		);
		expect(internalAsked).toEqual([]);
	});

	test('Face → Compare names which of its two links was refused, and the item', async () => {
		const error = await failureOf(
			run(
				'face',
				'compare',
				{ imageUrl: '={{ $json.a }}', secondImageUrl: '={{ $json.b }}', allowInternalAddresses: false },
				[
					{ a: `${publicBase}/files/face.jpg`, b: `${publicBase}/files/face.jpg` },
					{ a: `${publicBase}/files/face.jpg`, b: 'http://[fd00:ec2::254]/latest/meta-data/' },
				],
			),
		);
		expect(error.message).toBe(
			'Refused to fetch "Second Face Image URL" of item 2: [fd00:ec2::254] is a unique-local (private) IPv6 address',
		);
	});

	test('a refusal reads the same whether or not anything listens there (no map of the network)', async () => {
		const port = await closedPort();
		const listening = await failureOf(readCardDefault(`http://127.0.0.2:${internalPort}/x.jpg`));
		const silent = await failureOf(readCardDefault(`http://127.0.0.2:${port}/x.jpg`));
		expect(silent.message.replace(String(port), 'PORT')).toBe(
			listening.message.replace(String(internalPort), 'PORT'),
		);
		expect(silent.description).toBe(listening.description);
	});

	test('a public link that redirects to an internal address is refused at that hop', async () => {
		const error = await failureOf(readCardDefault(`${publicBase}/to-internal`));
		expect(error.message).toBe(
			`Refused to fetch "Image URL" of item 1: it redirects to 127.0.0.2:${internalPort}, a loopback address`,
		);
		const decimal = await failureOf(readCardDefault(`${publicBase}/to-internal-decimal`));
		expect(decimal.message).toContain(
			`it redirects to 127.0.0.2:${internalPort}, a loopback address`,
		);
		expect(asked).toEqual(['/to-internal', '/to-internal-decimal']);
		expect(internalAsked).toEqual([]);
		expect(uploads()).toHaveLength(0);
	});

	test('public redirects are followed hop by hop, at most five; a loop or a non-web target ends with a message', async () => {
		const out = await readCardDefault(`${publicBase}/hop/4`);
		expect(out[0].json).toMatchObject({ documentNumber: 'AB0002261' });
		expect(asked).toEqual([
			'/hop/4',
			'/hop/3',
			'/hop/2',
			'/hop/1',
			'/hop/0',
			'/files/card-front.jpg',
		]);
		const loop = await failureOf(readCardDefault(`${publicBase}/loop`));
		expect(loop.message).toBe(
			'Could not fetch "Image URL" of item 1: it redirects more than 5 times',
		);
		const file = await failureOf(readCardDefault(`${publicBase}/to-file-scheme`));
		expect(file.message).toBe(
			`Could not fetch "Image URL" of item 1: ${new URL(publicBase).host} redirects to something that is not a web address`,
		);
	});

	test('with "Allow Internal Addresses" on, an internal image server is fetched', async () => {
		const out = await run('document', 'readIdCardFront', {
			imageUrl: `http://127.0.0.2:${internalPort}/files/card-front.jpg`,
		});
		expect(out[0].json).toMatchObject({ documentNumber: 'AB0002261' });
		expect(internalAsked).toEqual(['/files/card-front.jpg']);
	});
});

describe('Image URL: deadlines', () => {
	test('a host that sends a byte every quarter second is cut off by the overall deadline', async () => {
		const error = await failureOf(
			readCardDefault(`${publicBase}/drip.jpg`, { requestOptions: { timeout: 1 } }),
		);
		expect(error.message).toBe(
			`Could not fetch "Image URL" of item 1: ${new URL(publicBase).host} did not send the whole image within 2 seconds`,
		);
		expect(error.description).toContain('Timeout');
		expect(uploads()).toHaveLength(0);
	});

	test('a host that stops sending, or never answers, is cut off by the idle timeout', async () => {
		const host = new URL(publicBase).host;
		for (const path of ['/stall.jpg', '/no-answer.jpg']) {
			const error = await failureOf(
				readCardDefault(`${publicBase}${path}`, { requestOptions: { timeout: 1 } }),
			);
			expect(error.message).toBe(
				`Could not fetch "Image URL" of item 1: ${host} did not answer within 1 second`,
			);
		}
	});
});

describe('Image URL: the upload name', () => {
	test('an escaped path in the link cannot climb out: the name is made safe', async () => {
		await readCardDefault(`${publicBase}/named/..%2F..%2Fetc%2Fpasswd.jpg`);
		expect(uploads()[0].files[0].filename).toBe('etc-passwd.jpg');
	});

	test('a malformed escape is no failure: the name is kept as written, made safe', async () => {
		await readCardDefault(`${publicBase}/named/%E0%A4%A.jpg`);
		expect(uploads()[0].files[0].filename).toBe('E0-A4-A.jpg');
	});

	test('the extension follows the bytes, and a long name is cut to 200 bytes', async () => {
		await readCardDefault(`${publicBase}/named/${'x'.repeat(400)}.png`);
		const name = uploads()[0].files[0].filename;
		expect(name).toMatch(/^x+\.jpg$/);
		expect(Buffer.byteLength(name)).toBe(200);
	});
});
