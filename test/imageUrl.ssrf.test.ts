/**
 * Image URL with n8n's own SSRF protection on (N8N_SSRF_PROTECTION_ENABLED, as README advises),
 * in-process through n8n-core 2.41's real OutboundHttp. The node may not resolve names, so a public
 * name that resolves to an internal address is n8n's to refuse; the node must keep working with the
 * protection on, and say clearly when it refused. The administrator of this "instance" allows
 * 127.0.0.1 (the sandbox and the file server stand for public hosts); names resolve through a
 * stand-in for n8n's DNS resolver: images.example.com to 127.0.0.1, intranet.example.com to
 * 127.0.0.2 (an internal service).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import type { IDataObject } from 'n8n-workflow';

import { failureOf, identomatRequests, runOperation, sandboxForFile } from './helpers/sandbox';

// Read when n8n first builds its SSRF service, i.e. at the first request below.
process.env.N8N_SSRF_PROTECTION_ENABLED = 'true';
process.env.N8N_SSRF_ALLOWED_IP_RANGES = '127.0.0.1/32';

const fromCore = (name: string) =>
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	require(require.resolve(name, { paths: [path.dirname(require.resolve('n8n-core'))] }));
const { Container } = fromCore('@n8n/di') as typeof import('@n8n/di');
const { DnsResolver } = fromCore('@n8n/backend-network');

const NAMES: Record<string, string> = {
	'images.example.com': '127.0.0.1',
	'intranet.example.com': '127.0.0.2',
};

const sb = sandboxForFile();

let files: http.Server;
let internal: http.Server;
let filesPort = 0;
let internalPort = 0;
const internalAsked: string[] = [];

async function listen(server: http.Server, host: string): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, host, resolve));
	return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
	Container.set(DnsResolver, {
		async lookup(hostname: string) {
			const address = NAMES[hostname];
			if (!address) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
			return [{ address, family: 4 }];
		},
	});
	files = http.createServer((req, res) => {
		if (req.url === '/to-intranet') {
			return res.writeHead(302, { location: `http://intranet.example.com:${internalPort}/admin.jpg` }).end();
		}
		res.writeHead(200, { 'content-type': 'image/jpeg' }).end(sb.fixtures['card-front.jpg']);
	});
	internal = http.createServer((req, res) => {
		internalAsked.push(req.url!);
		res.writeHead(200, { 'content-type': 'image/jpeg' }).end(sb.fixtures['card-front.jpg']);
	});
	filesPort = await listen(files, '127.0.0.1');
	internalPort = await listen(internal, '127.0.0.2');
});

afterAll(async () => {
	for (const server of [files, internal]) {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
});

beforeEach(() => {
	internalAsked.length = 0;
});

const readCard = async (imageUrl: string, parameters: IDataObject = {}) =>
	(await runOperation(sb, 'document', 'readIdCardFront', { imageSource: 'url', imageUrl, ...parameters }))[0];

describe("Image URL with n8n's SSRF protection on", () => {
	test('a public link is fetched and read as usual', async () => {
		const out = await readCard(`http://images.example.com:${filesPort}/card-front.jpg`);
		expect(out[0].json).toMatchObject({ documentNumber: 'AB0002261' });
		expect(identomatRequests(sb)[0].files[0]).toMatchObject({ filename: 'card-front.jpg' });
	});

	test('a public name that resolves to an internal address is refused by n8n, and the message says so without the address', async () => {
		const error = await failureOf(readCard(`http://intranet.example.com:${internalPort}/admin.jpg`));
		expect(error.message).toBe(
			`Refused to fetch "Image URL" of item 1: n8n's SSRF protection blocks intranet.example.com:${internalPort}`,
		);
		expect(error.description).toContain('N8N_SSRF_ALLOWED_HOSTNAMES');
		expect(`${error.message} ${error.description}`).not.toContain('127.0.0.2');
		expect(internalAsked).toEqual([]);
		expect(identomatRequests(sb)).toHaveLength(0);
	});

	test('a redirect to such a name is refused at that hop', async () => {
		const error = await failureOf(readCard(`http://images.example.com:${filesPort}/to-intranet`));
		expect(error.message).toBe(
			`Refused to fetch "Image URL" of item 1: n8n's SSRF protection blocks intranet.example.com:${internalPort}`,
		);
		expect(internalAsked).toEqual([]);
	});

	test('"Allow Internal Addresses" does not override the instance: n8n still refuses', async () => {
		const error = await failureOf(
			readCard(`http://127.0.0.2:${internalPort}/admin.jpg`, { allowInternalAddresses: true }),
		);
		expect(error.message).toBe(
			`Refused to fetch "Image URL" of item 1: n8n's SSRF protection blocks 127.0.0.2:${internalPort}`,
		);
		expect(internalAsked).toEqual([]);
	});
});
