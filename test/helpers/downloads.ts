/**
 * Shared pieces of the download tests: what a downloaded file must look like, raw answers fetched
 * straight from the sandbox (the bytes a file must equal), and a proxy that alters answers on the
 * way (to show that a signature check catches it).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { fileBytes } from '../../harness/runner';
import { type Sandbox, sandboxForFile } from './sandbox';

/** A file on an output item: sniffed type, extension, name, size and bytes. */
export async function expectFile(
	item: INodeExecutionData,
	key: string,
	expected: { mimeType: string; extension: string; fileName: string; bytes: Buffer },
) {
	const binary = item.binary?.[key];
	expect(binary).toBeDefined();
	expect(binary!.mimeType).toBe(expected.mimeType);
	expect(binary!.fileExtension).toBe(expected.extension);
	expect(binary!.fileName).toBe(expected.fileName);
	expect(binary!.bytes).toBe(expected.bytes.length);
	const stored = await fileBytes(item, key);
	expect(stored.length).toBe(expected.bytes.length);
	expect(sha256(stored)).toBe(sha256(expected.bytes));
}

export function sha256(data: Buffer) {
	return createHash('sha256').update(data).digest('hex');
}

/** The raw answer of an endpoint, fetched straight from the sandbox. */
export async function rawAnswer(sb: Sandbox, host: 'widget' | 'api', path: string, fields: Record<string, unknown>) {
	const base = host === 'widget' ? sb.widgetBaseUrl : sb.apiBaseUrl;
	const key = host === 'widget' ? { company_key: sb.companyKey } : { companyKey: sb.companyKey };
	const response = await fetch(`${base}/${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ ...key, ...fields }),
	});
	return Buffer.from(await response.arrayBuffer());
}

/**
 * A proxy in front of a sandbox that changes one byte in the middle of every successful signed
 * answer (a letter's case in JSON, so it stays valid JSON; a flipped bit in files), keeping the
 * signature header: what a tampering middlebox would do.
 */
export async function startTamperingProxy(target: string) {
	const server = http.createServer((req, res) => {
		const body: Buffer[] = [];
		req.on('data', (chunk: Buffer) => body.push(chunk));
		req.on('end', () => {
			const upstream = http.request(
				`${target}${req.url}`,
				{ method: req.method, headers: { ...req.headers, host: new URL(target).host } },
				(answer) => {
					const chunks: Buffer[] = [];
					answer.on('data', (chunk: Buffer) => chunks.push(chunk));
					answer.on('end', () => {
						const data = Buffer.concat(chunks);
						if (answer.statusCode === 200 && answer.headers.authorization && data.length > 0) tamper(data);
						res.writeHead(answer.statusCode ?? 500, answer.headers);
						res.end(data);
					});
				},
			);
			upstream.end(Buffer.concat(body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

function tamper(data: Buffer) {
	const first = data[0];
	const isJson = first === 0x7b || first === 0x5b || first === 0x22;
	let at = Math.floor(data.length / 2);
	if (!isJson) {
		data[at] ^= 0x01;
		return;
	}
	while (at < data.length && !/[A-Za-z]/.test(String.fromCharCode(data[at]))) at++;
	data[at] ^= 0x20; // swaps the letter's case
}

/**
 * For the HMAC tests of a describe block: a sandbox that checks and signs (secret
 * `sandbox-hmac-secret`), reset before each test, and a proxy in front of it that alters answers.
 */
export function signedSandboxWithTamperingProxy(options: IDataObject = {}) {
	const signed = sandboxForFile({ secretKey: 'sandbox-hmac-secret', ...options });
	let proxy: Awaited<ReturnType<typeof startTamperingProxy>> | undefined;
	beforeAll(async () => {
		proxy = await startTamperingProxy(signed.url);
	});
	afterAll(async () => await proxy?.close());
	return { signed, tamperingUrl: () => proxy!.url };
}
