/**
 * One Identomat sandbox per test file: started before the file's tests, reset to its seeded state
 * before each test, closed after them. The returned object always stands for the live sandbox.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from './runner';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { startSandbox } = require('../sandbox');

export type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

export function sandboxForFile(options: Record<string, unknown> = {}): Sandbox {
	let live: Sandbox | undefined;
	beforeAll(async () => {
		live = await startSandbox({ port: 0, ...options });
	});
	afterAll(async () => await live?.close());
	beforeEach(() => live?.reset());
	return new Proxy({} as Sandbox, {
		get(_target, property) {
			if (!live) throw new Error('the sandbox is used before beforeAll started it');
			const value = live[property as keyof Sandbox];
			return typeof value === 'function' ? value.bind(live) : value;
		},
	});
}

/** Identomat API credential data pointing at a sandbox (or at a proxy in front of it). */
export function credentialsOf(sb: Sandbox, base: string = sb.url) {
	return {
		apiKey: sb.companyKey as string,
		widgetBaseUrl: `${base}/widget/external-api`,
		apiBaseUrl: `${base}/api`,
		...(sb.secretKey ? { secretKey: sb.secretKey as string } : {}),
	};
}

export interface Received {
	host: string;
	path: string;
	encoding: string;
	fields: Record<string, unknown>;
}

/** What Identomat received on the API host for one endpoint, each request checked for the API dialect. */
export function receivedOnApiHost(sb: Sandbox, path: string): Received[] {
	const calls = (sb.requests as Received[]).filter((r) => r.path === path);
	for (const call of calls) {
		expect(call.host).toBe('api');
		expect(call.encoding).toBe('json');
		expect(call.fields.companyKey).toBe(sb.companyKey);
		expect(call.fields).not.toHaveProperty('company_key');
		expect(call.fields).not.toHaveProperty('session_token');
	}
	return calls;
}

/** Runs one operation of the Identomat node against the sandbox, the input items given as JSON. */
export function runOperation(
	sb: Sandbox,
	resource: string,
	operation: string,
	parameters: IDataObject = {},
	extra: { items?: IDataObject[]; continueOnFail?: boolean } = {},
) {
	return runNode({
		parameters: { resource, operation, ...parameters },
		credentials: credentialsOf(sb),
		items: extra.items?.map((json) => ({ json })),
		continueOnFail: extra.continueOnFail,
	});
}

/** The error a run stops with (the node stops on it without Continue On Fail). */
export async function failureOf(run: Promise<unknown>): Promise<{ message: string; description?: string }> {
	try {
		await run;
	} catch (error) {
		return error as { message: string; description?: string };
	}
	throw new Error('the run succeeded although it should have stopped');
}

/** The arguments of `runOperation` after the sandbox and the resource. */
export type OperationArgs = [operation: string, parameters?: IDataObject, extra?: { items?: IDataObject[]; continueOnFail?: boolean }];
