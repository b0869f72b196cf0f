/**
 * The Identomat sandbox in the tests (in-process and end-to-end): one set-up (`sandboxForFile`), one `Sandbox` type,
 * the credential data pointing at it, what it received, and running one operation against it.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeExecutionData } from 'n8n-workflow';

import { Identomat } from '../../nodes/Identomat/Identomat.node';
import { buildAdditionalData, buildWorkflow, runNode } from '../../harness/runner';
import { operationsOf } from './description';

import { type Sandbox, type SandboxOptions, type SandboxRequest, startSandbox } from '../../sandbox/index.ts';

export type { Sandbox, SandboxRequest };

/** What `sandboxForFile` takes besides startSandbox's options. */
export interface SandboxForFileOptions extends SandboxOptions {
	/**
	 * false: no reset between tests, for suites whose tests build on each other's state (an n8n
	 * run or a polling trigger started in beforeAll, sessions created in one test and read in the
	 * next); such a suite resets where it needs to. Default true.
	 */
	resetBeforeEach?: boolean;
}

/**
 * A sandbox for the tests of a file or a describe block: started before them, reset to its seeded
 * state before each test (unless `resetBeforeEach: false`), closed after them. The other options
 * are startSandbox's (secretKey, videoBytes …). The returned object always stands for the live
 * sandbox; a suite that reads its URL in its own beforeAll (to start n8n) calls this first, as
 * jest runs beforeAll hooks in the order they are registered.
 */
export function sandboxForFile({ resetBeforeEach = true, ...options }: SandboxForFileOptions = {}): Sandbox {
	checkEveryOperationRuns();
	let live: Sandbox | undefined;
	beforeAll(async () => {
		live = await startSandbox({ port: 0, ...options });
	});
	afterAll(async () => await live?.close());
	if (resetBeforeEach) beforeEach(() => live?.reset());
	return new Proxy({} as Sandbox, {
		get(_target, property) {
			if (!live) throw new Error('the sandbox is used before beforeAll started it');
			const value = live[property as keyof Sandbox];
			return typeof value === 'function' ? value.bind(live) : value;
		},
	});
}

/** Identomat API credential data pointing at a sandbox (or at a proxy in front of it). */
export function credentialsOf(sb: Sandbox, base: string = sb.url): ICredentialDataDecryptedObject {
	return {
		apiKey: sb.companyKey,
		widgetBaseUrl: `${base}/widget/external-api`,
		apiBaseUrl: `${base}/api`,
		...(sb.secretKey ? { secretKey: sb.secretKey } : {}),
	};
}

/** The requests Identomat received (its two hosts; the sandbox's control requests left out). */
export function identomatRequests(sb: Sandbox): SandboxRequest[] {
	return sb.requests.filter((r) => r.host === 'widget' || r.host === 'api');
}

/** The requests Identomat received on a path. */
export function requestsTo(sb: Sandbox, path: string): SandboxRequest[] {
	return identomatRequests(sb).filter((r) => r.path === path);
}

/** What Identomat received on the API host for one endpoint, each request checked for the API dialect. */
export function receivedOnApiHost(sb: Sandbox, path: string): SandboxRequest[] {
	const calls = sb.requests.filter((r) => r.path === path);
	for (const call of calls) {
		expect(call.host).toBe('api');
		expect(call.encoding).toBe('json');
		expect(call.fields.companyKey).toBe(sb.companyKey);
		expect(call.fields).not.toHaveProperty('company_key');
		expect(call.fields).not.toHaveProperty('session_token');
	}
	return calls;
}

/** Checks the one request of a call: host, JSON, the dialect's key and session field names. */
export function expectSessionRequest(sb: Sandbox, path: string, host: 'widget' | 'api', sessionId: string) {
	const [request, ...more] = requestsTo(sb, path);
	expect(more).toHaveLength(0);
	expect(request).toBeDefined();
	expect(request.host).toBe(host);
	expect(request.encoding).toBe('json');
	const [keyField, sessionField, otherKey, otherSession] =
		host === 'widget'
			? ['company_key', 'session_token', 'companyKey', 'sessionId']
			: ['companyKey', 'sessionId', 'company_key', 'session_token'];
	expect(request.fields[keyField]).toBe(sb.companyKey);
	expect(request.fields[sessionField]).toBe(sessionId);
	expect(request.fields).not.toHaveProperty(otherKey);
	expect(request.fields).not.toHaveProperty(otherSession);
	return request;
}

export interface OperationRun {
	/** Input items as JSON (one empty item when neither this nor `input` is given). */
	items?: IDataObject[];
	/** Input items as they are, e.g. with files (see `itemWithFile`). */
	input?: INodeExecutionData[];
	continueOnFail?: boolean;
	/** The address the credential points at instead of the sandbox's (e.g. a proxy in front of it). */
	base?: string;
	/** Credential fields that differ from the sandbox's (a wrong key or secret). */
	credentials?: ICredentialDataDecryptedObject;
}

/** The operations this test file ran, as `resource/operation`. */
const operationsRun = new Set<string>();
let everyOperationChecked = false;

/**
 * In `test/operations/<resource>.test.ts`, after the file's tests: every operation of that
 * resource has run at least once (test/README.md, "Adding an endpoint"). A file that leaves one
 * out fails.
 */
function checkEveryOperationRuns() {
	if (everyOperationChecked) return;
	everyOperationChecked = true;
	const resource = /test\/operations\/(\w+)\.test\.ts$/.exec(expect.getState().testPath ?? '')?.[1];
	if (!resource) return;
	afterAll(() => {
		const missing = operationsOf(new Identomat().description)
			.filter((o) => o.resource.value === resource)
			.map((o) => String(o.operation.value))
			.filter((operation) => !operationsRun.has(`${resource}/${operation}`));
		if (missing.length) throw new Error(`test/operations/${resource}.test.ts runs no test of: ${missing.join(', ')}`);
	});
}

/** Runs one operation of the Identomat node against the sandbox. */
export function runOperation(
	sb: Sandbox,
	resource: string,
	operation: string,
	parameters: IDataObject = {},
	extra: OperationRun = {},
) {
	operationsRun.add(`${resource}/${operation}`);
	return runNode({
		parameters: { resource, operation, ...parameters },
		credentials: { ...credentialsOf(sb, extra.base), ...extra.credentials },
		items: extra.input ?? extra.items?.map((json) => ({ json })),
		continueOnFail: extra.continueOnFail,
	});
}

/**
 * The context n8n gives the Identomat node's pickers (load options, list search) in the editor,
 * with the credential pointing at the sandbox; `apiKey` replaces its company key.
 */
export function pickerContext(sb: Sandbox, apiKey = sb.companyKey) {
	const node: INode = {
		id: 'node-under-test',
		name: 'Identomat',
		type: 'n8n-nodes-identomat.identomat',
		typeVersion: 1,
		position: [0, 0],
		parameters: { resource: 'group', operation: 'update' },
		credentials: { identomatApi: { id: '1', name: 'Identomat account' } },
	};
	const workflow = buildWorkflow(node, new Identomat());
	const additionalData = buildAdditionalData('identomatApi', { ...credentialsOf(sb), apiKey });
	return new LoadOptionsContext(workflow, workflow.getNode(node.name)!, additionalData, 'parameters.groupId');
}

/** The arguments of `runOperation` after the sandbox and the resource. */
export type OperationArgs = [operation: string, parameters?: IDataObject, extra?: OperationRun];

/** The error a run stops with (the node stops on it without Continue On Fail). */
export async function failureOf(
	run: Promise<unknown>,
): Promise<Error & { description?: string; context?: IDataObject; httpCode?: string | null }> {
	try {
		await run;
	} catch (error) {
		return error as Error & { description?: string };
	}
	throw new Error('the run succeeded although it should have stopped');
}

/** The users the sandbox is seeded with (sandbox/state.ts): their IDs. */
export const SEEDED_USERS = {
	ADMIN: '64f0c0a1e4b0a1b2c3d4e501',
	USER1: '64f0c0a1e4b0a1b2c3d4e502',
	USER2: '64f0c0a1e4b0a1b2c3d4e503',
};
