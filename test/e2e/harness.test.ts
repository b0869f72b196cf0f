/**
 * Smoke test of the e2e harness itself: a real n8n 2.41.1 (Node 24) and n8n 1.x (Node 20) with a
 * tiny community package (test/e2e/fixtures/n8n-nodes-e2e-fixture) installed the way n8n does it;
 * workflows imported and run by `n8n execute`, and under `n8n start` a webhook workflow activated
 * through the public API, called over HTTP and observed through the public API.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { createN8n, disposeAll, n8nVersion, packageTarball, type N8nInstance } from '../../harness/n8n';

const FIXTURE_DIR = path.join(__dirname, 'fixtures/n8n-nodes-e2e-fixture');
let fixtureTarball = '';

beforeAll(() => {
	const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-fixture-pack-'));
	const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', dest], {
		cwd: FIXTURE_DIR,
		encoding: 'utf8',
	})
		.trim()
		.split('\n')
		.pop()!;
	fixtureTarball = path.join(dest, name);
});

afterAll(async () => {
	await disposeAll();
});

const manualWorkflow = {
	id: 'e2eSmokeManual1',
	name: 'E2E smoke: manual',
	active: false,
	settings: {},
	nodes: [
		{
			id: 'n1',
			name: 'Manual',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		{
			id: 'n2',
			name: 'Code',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: { jsCode: "return [{ json: { hello: 'world', n: 21 } }, { json: { hello: 'again', n: 1 } }];" },
		},
		{
			id: 'n3',
			name: 'Set',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [400, 0],
			parameters: {
				assignments: {
					assignments: [{ id: 'a1', name: 'doubled', value: '={{ $json.n * 2 }}', type: 'number' }],
				},
				includeOtherFields: true,
				options: {},
			},
		},
		{
			id: 'n4',
			name: 'Fixture',
			type: 'n8n-nodes-e2e-fixture.e2eFixture',
			typeVersion: 1,
			position: [600, 0],
			parameters: { tag: 'smoke' },
		},
	],
	connections: {
		Manual: { main: [[{ node: 'Code', type: 'main', index: 0 }]] },
		Code: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
		Set: { main: [[{ node: 'Fixture', type: 'main', index: 0 }]] },
	},
};

const failingWorkflow = {
	id: 'e2eSmokeFail001',
	name: 'E2E smoke: failing',
	active: false,
	settings: {},
	nodes: [
		manualWorkflow.nodes[0],
		{
			id: 'n2',
			name: 'Code',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: { jsCode: "throw new Error('The smoke test asked this node to stop');" },
		},
	],
	connections: { Manual: { main: [[{ node: 'Code', type: 'main', index: 0 }]] } },
};

const webhookWorkflow = {
	id: 'e2eSmokeHook001',
	name: 'E2E smoke: webhook',
	active: false,
	settings: {},
	nodes: [
		{
			id: 'w1',
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: '5d7c1d0e-0c5e-4d3e-9f0a-e2e5m0ke0001',
			parameters: { httpMethod: 'POST', path: 'e2e-smoke', responseMode: 'lastNode', options: {} },
		},
		{
			id: 'w2',
			name: 'Set',
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [200, 0],
			parameters: {
				assignments: {
					assignments: [
						{ id: 'b1', name: 'greeting', value: '={{ "hello " + $json.body.name }}', type: 'string' },
					],
				},
				options: {},
			},
		},
		{
			id: 'w3',
			name: 'Fixture',
			type: 'n8n-nodes-e2e-fixture.e2eFixture',
			typeVersion: 1,
			position: [400, 0],
			parameters: { tag: 'webhook' },
		},
	],
	connections: {
		Webhook: { main: [[{ node: 'Set', type: 'main', index: 0 }]] },
		Set: { main: [[{ node: 'Fixture', type: 'main', index: 0 }]] },
	},
};

async function expectManualRun(n8n: N8nInstance) {
	const result = await n8n.execute(manualWorkflow.id);
	if (result.code !== 0) throw new Error(`execute failed:\n${result.stdout}\n${result.stderr}`);
	expect(result.run.status).toBe('success');
	const items = result.items('Fixture');
	expect(items.map((i) => i.json)).toEqual([
		{ hello: 'world', n: 21, doubled: 42, tag: 'smoke' },
		{ hello: 'again', n: 1, doubled: 2, tag: 'smoke' },
	]);
	const binary = items[0].binary!.data;
	expect(binary).toMatchObject({ fileName: 'item-0.txt', mimeType: 'text/plain' });
	return { result, binary };
}

describe(`n8n ${n8nVersion(2)} (Node 24)`, () => {
	test.each(['default', 'filesystem'] as const)(
		'execute: a Manual Trigger, Code, Set and community node workflow, binary data mode %s',
		async (binaryDataMode) => {
			const n8n = await createN8n({ major: 2, binaryDataMode, packageTarball: fixtureTarball });
			expect(
				JSON.parse(fs.readFileSync(path.join(n8n.n8nFolder, 'nodes/package.json'), 'utf8')).dependencies,
			).toEqual({ 'n8n-nodes-e2e-fixture': '1.0.0' });
			await n8n.importWorkflows([manualWorkflow, failingWorkflow]);

			const { binary } = await expectManualRun(n8n);
			if (binaryDataMode === 'filesystem') {
				// Stored on disk, referenced by id: the content is not in the run.
				expect(binary.id).toMatch(/^filesystem(-v2)?:/);
				expect(binary.data).toBe('filesystem-v2');
			} else {
				expect(binary.id).toBeUndefined();
				expect(Buffer.from(binary.data, 'base64').toString()).toBe('tag=smoke item=0\n');
			}

			const failed = await n8n.execute(failingWorkflow.id);
			expect(failed.code).not.toBe(0);
			expect(failed.run.status).toBe('error');
			expect(failed.error.message).toContain('The smoke test asked this node to stop');
			expect(failed.stdout + failed.stderr).toContain('The smoke test asked this node to stop');
			expect(n8n.logs()).toContain('Execution was NOT successful');
			await n8n.dispose();
		},
	);

	test('importCredentials: an imported credential authenticates a request, and its secret stays out of the logs', async () => {
		const secret = `e2e-secret-${Date.now()}`;
		const received: http.IncomingHttpHeaders[] = [];
		const server = http.createServer((req, res) => {
			received.push(req.headers);
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ ok: true, path: req.url }));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as import('node:net').AddressInfo;
		try {
			const n8n = await createN8n({ major: 2 });
			await n8n.importCredentials([
				{ id: 'e2eHeaderCred01', name: 'E2E header', type: 'httpHeaderAuth', data: { name: 'X-Api-Key', value: secret } },
			]);
			await n8n.importWorkflows([
				{
					id: 'e2eSmokeCreds01',
					name: 'E2E smoke: credentials',
					active: false,
					settings: {},
					nodes: [
						manualWorkflow.nodes[0],
						{
							id: 'h1',
							name: 'HTTP',
							type: 'n8n-nodes-base.httpRequest',
							typeVersion: 4.2,
							position: [200, 0],
							parameters: {
								url: `http://127.0.0.1:${port}/echo`,
								authentication: 'genericCredentialType',
								genericAuthType: 'httpHeaderAuth',
								options: {},
							},
							credentials: { httpHeaderAuth: { id: 'e2eHeaderCred01', name: 'E2E header' } },
						},
					],
					connections: { Manual: { main: [[{ node: 'HTTP', type: 'main', index: 0 }]] } },
				},
			]);
			const result = await n8n.execute('e2eSmokeCreds01');
			expect(result.code).toBe(0);
			expect(result.items('HTTP')[0].json).toEqual({ ok: true, path: '/echo' });
			expect(received).toHaveLength(1);
			expect(received[0]['x-api-key']).toBe(secret);
			expect(n8n.logs()).not.toContain(secret);
			await n8n.dispose();
		} finally {
			server.close();
		}
	});

	test('start: webhook workflow activated via the public API, called over HTTP, execution read back', async () => {
		const n8n = await createN8n({ major: 2, packageTarball: fixtureTarball });
		await n8n.importWorkflows([webhookWorkflow]);
		await n8n.start();

		const activated = await n8n.activate(webhookWorkflow.id, { webhookPaths: ['e2e-smoke'] });
		expect(activated.active).toBe(true);

		const response = await n8n.http('POST', '/webhook/e2e-smoke', { name: 'Ada' });
		expect(response.status).toBe(200);
		expect(response.body).toEqual({ greeting: 'hello Ada', tag: 'webhook' });

		const execution = await n8n.waitForExecution(webhookWorkflow.id);
		expect(execution.status).toBe('success');
		expect(execution.mode).toBe('webhook');
		const runData = execution.data.resultData.runData;
		expect(runData.Webhook[0].data.main[0][0].json.body).toEqual({ name: 'Ada' });
		expect(runData.Fixture[0].data.main[0][0].binary.data.fileName).toBe('item-0.txt');

		// The REST API works with the login cookie too, and `execute` runs beside `n8n start`.
		const me = await n8n.rest('GET', '/login');
		expect(me.status).toBe(200);
		expect(me.body.data.email).toBe(n8n.owner.email);
		await n8n.importWorkflows([manualWorkflow]);
		await expectManualRun(n8n);

		await n8n.stop();
		expect(n8n.running).toBe(false);
		expect(n8n.logs()).toContain('Editor is now accessible via');
		expect(n8n.logs()).not.toMatch(/ENOTFOUND|EAI_AGAIN/);
		await n8n.dispose();
	});
});

describe.each([2, 1] as const)('the packed n8n-nodes-identomat in n8n %s.x', (major) => {
	test('installs as a community package and n8n loads every node and credential it lists', async () => {
		const tarball = packageTarball();
		const n8n = await createN8n({ major });
		const { name } = await n8n.installPackage(tarball);
		expect(name).toBe('n8n-nodes-identomat');
		const manifest = JSON.parse(
			fs.readFileSync(path.join(n8n.n8nFolder, 'nodes/node_modules', name, 'package.json'), 'utf8'),
		);
		await n8n.start();
		const nodeTypes = (await n8n.nodeTypes()).filter((t) => t.name.startsWith(`${name}.`));
		const credentialTypes = (await n8n.credentialTypes()).map((t) => t.name);
		// One type per node file (n8n adds a "…Tool" variant for usableAsTool nodes).
		expect(nodeTypes.filter((t) => !t.name.endsWith('Tool'))).toHaveLength(manifest.n8n.nodes.length);
		expect(credentialTypes).toEqual(expect.arrayContaining(['identomatApi']));
		await n8n.stop();
		expect(n8n.logs()).not.toMatch(/Failed to load package|Error loading package|is already loaded/);
		await n8n.dispose();
	});
});

describe(`n8n ${n8nVersion(1)} (Node 20)`, () => {
	test('execute: a Manual Trigger, Code, Set and community node workflow', async () => {
		const n8n = await createN8n({ major: 1, binaryDataMode: 'filesystem', packageTarball: fixtureTarball });
		await n8n.importWorkflows([manualWorkflow]);
		const { binary } = await expectManualRun(n8n);
		expect(binary.id).toMatch(/^filesystem(-v2)?:/);
		expect(n8n.logs()).not.toMatch(/ENOTFOUND|EAI_AGAIN/);
		await n8n.dispose();
	});
});
