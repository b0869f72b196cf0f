/**
 * Image Source: Image URL on Document → Read … and Face → Compare, in-process through n8n-core
 * (the link fetched by n8n's own `helpers.httpRequest`) against a file server on 127.0.0.1: what
 * Identomat receives for a good link, and the message a person reads for a link that is too big,
 * not an image, unreachable, missing or not a link at all, naming the parameter and the item.
 */
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
/** What the file server was asked for, in order. */
const asked: string[] = [];

beforeAll(async () => {
	files = http.createServer((req, res) => {
		const url = new URL(req.url!, 'http://127.0.0.1');
		asked.push(url.pathname);
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
	base = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});

afterAll(async () => {
	files.closeAllConnections();
	await new Promise<void>((resolve) => files.close(() => resolve()));
});

beforeEach(() => {
	asked.length = 0;
});

const uploads = () => identomatRequests(sb);

async function run(
	resource: string,
	operation: string,
	parameters: IDataObject,
	items: IDataObject[] = [{}],
) {
	const [out] = await runOperation(sb, resource, operation, { imageSource: 'url', ...parameters }, { items });
	return out;
}

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
		expect(
			uploads().map((r) => r.files.map((f) => [f.field, f.size])),
		).toEqual([
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
