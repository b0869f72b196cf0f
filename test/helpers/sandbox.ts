/**
 * One Identomat sandbox per test file: started before the file's tests, reset to its seeded state
 * before each test, closed after them. The returned object always stands for the live sandbox.
 */
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
