/**
 * The install path users take: n8n's own community-package installer (Settings → Community Nodes;
 * here its REST endpoint, which the settings page calls) fetching the package from an npm
 * registry, and later updating it from there. The registry is verdaccio on 127.0.0.1 holding the
 * tarball `npm pack` made (E2E_PACKAGE_TARBALL), then the same package with a higher version.
 *
 * What n8n 2.41.1 does, read in its source (modules/community-packages): `npm pack <name>@<version>`
 * and `npm install` with `--registry=<N8N_COMMUNITY_PACKAGES_REGISTRY>` (default the public npm
 * registry), so npm's own registry setting is overridden. Another registry is an enterprise
 * licence feature (`feat:communityNodes:customRegistry`); this test turns on that one feature
 * through n8n's end-to-end test mode (E2E_TESTS=true, `PATCH /rest/e2e/feature`), the hook n8n's
 * own tests use. The "update available" check is `npm outdated` without `--registry`: it follows
 * npm's configuration, here `npm_config_registry`. Everything else n8n would fetch (its package
 * status service) goes to a proxy address where nothing listens, so no request leaves 127.0.0.1.
 */
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import type * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { CREDENTIAL, PACKAGE, packagedNodeTypes } from '../../harness/identomat-workflows';
import { createN8n, disposeAll, freePort, packageTarball, type N8nInstance } from '../../harness/n8n';

import { sandboxForFile } from '../helpers/sandbox';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runServer } = require('verdaccio');

const WORKFLOW_PATH = 'install-check';

interface Registry {
	url: string;
	/** The path of every request the registry received, in order. */
	requests: string[];
	/** `npm publish` as a release does (asynchronous: the registry answers from this process). */
	publish(tarballOrDir: string): Promise<void>;
	close(): Promise<void>;
}

/** verdaccio on 127.0.0.1 with no uplink (it never asks another registry) and one publishing user. */
async function startRegistry(dir: string): Promise<Registry> {
	const server: http.Server = await runServer({
		self_path: dir,
		storage: path.join(dir, 'storage'),
		auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: 1 } },
		uplinks: {},
		packages: { '**': { access: '$all', publish: '$authenticated' } },
		web: { enable: false },
		log: { type: 'stdout', format: 'pretty', level: 'error' },
	});
	const requests: string[] = [];
	server.on('request', (req: http.IncomingMessage) => requests.push(req.url ?? ''));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
	const user = await fetch(`${url}/-/user/org.couchdb.user:publisher`, {
		method: 'PUT',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'publisher', password: 'publisher-password' }),
	});
	const { token } = (await user.json()) as { token: string };
	const npmrc = path.join(dir, 'publisher.npmrc');
	fs.writeFileSync(npmrc, `registry=${url}/\n//${url.slice('http://'.length)}/:_authToken=${token}\n`);
	return {
		url,
		requests,
		async publish(tarballOrDir) {
			await promisify(execFile)('npm', ['publish', tarballOrDir, '--ignore-scripts', `--userconfig=${npmrc}`, `--registry=${url}/`]);
		},
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

/** The packed package again, with the next patch version (what a release of ours publishes). */
function nextVersion(tarball: string, dir: string): { dir: string; version: string } {
	const unpacked = path.join(dir, 'next');
	fs.mkdirSync(unpacked);
	execFileSync('tar', ['-xzf', tarball, '-C', unpacked, '--strip-components=1']);
	const manifestPath = path.join(unpacked, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
	const [major, minor, patch] = String(manifest.version).split('.').map(Number);
	manifest.version = `${major}.${minor}.${patch + 1}`;
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	return { dir: unpacked, version: manifest.version };
}

/** A workflow saved through the public API: a webhook answering with the first screening match. */
function screeningWorkflow(credentialId: string) {
	return {
		name: 'Installed package check',
		nodes: [
			{
				id: 'install-1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: '5a0c7f7e-1f52-4f11-9a3c-1c1d9f0e0a01',
				parameters: { httpMethod: 'POST', path: WORKFLOW_PATH, responseMode: 'lastNode', options: {} },
			},
			{
				id: 'install-2',
				name: 'Screening Search',
				type: `${PACKAGE}.identomat`,
				typeVersion: 1,
				position: [220, 0],
				parameters: { resource: 'screening', operation: 'search', fullName: 'John Doe Smith', scoreThreshold: 80, returnAll: false, limit: 1, options: {} },
				credentials: { identomatApi: { id: credentialId, name: CREDENTIAL.name } },
			},
		],
		connections: { Webhook: { main: [[{ node: 'Screening Search', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
}

const sb = sandboxForFile();
let registry: Registry;
let n8n: N8nInstance;
let work: string;
let tarball: string;
let version: string;

/** The package as n8n's Community Nodes settings list it. */
async function installedPackage() {
	const list = await n8n.rest('GET', '/community-packages');
	expect(list.status).toBe(200);
	return (list.body.data as any[]).find((p) => p.packageName === PACKAGE);
}

/** What the saved workflow answers: the node of the installed package ran in `n8n start`. */
async function runSavedWorkflow() {
	const res = await n8n.http('POST', `/webhook/${WORKFLOW_PATH}`, {});
	expect(res.status).toBe(200);
	expect(res.body).toMatchObject({ matchCount: 1, matches: [{ name: 'John Doe Smith', score: 100 }] });
}

beforeAll(async () => {
	tarball = packageTarball();
	version = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })).version;
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'identomat-install-'));
	registry = await startRegistry(path.join(work, 'registry'));
	await registry.publish(tarball);
	const nowhere = `http://127.0.0.1:${await freePort()}`;
	n8n = await createN8n({
		major: 2,
		env: {
			N8N_COMMUNITY_PACKAGES_REGISTRY: registry.url,
			npm_config_registry: `${registry.url}/`,
			E2E_TESTS: 'true',
			HTTP_PROXY: nowhere,
			HTTPS_PROXY: nowhere,
			NO_PROXY: '127.0.0.1,localhost',
		},
	});
	await n8n.start();
	const feature = await n8n.http('PATCH', '/rest/e2e/feature', { feature: 'feat:communityNodes:customRegistry', enabled: true });
	expect(feature.status).toBe(200);
});

afterAll(async () => {
	await disposeAll();
	await registry?.close();
	if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('Install: n8n fetches the package from the registry and loads every node of it', async () => {
	expect(await installedPackage()).toBeUndefined();

	const install = await n8n.rest('POST', '/community-packages', { name: PACKAGE });
	expect(install.status).toBe(200);
	expect(install.body.data).toMatchObject({ packageName: PACKAGE, installedVersion: version });
	expect(registry.requests).toContain(`/${PACKAGE}/-/${PACKAGE}-${version}.tgz`);

	const types = packagedNodeTypes().map((t) => `${PACKAGE}.${t}`);
	const listed = await installedPackage();
	expect(listed).toMatchObject({ installedVersion: version, failedLoading: false });
	expect(listed.installedNodes.map((n: any) => n.type).sort()).toEqual([...types].sort());
	const loaded = (await n8n.nodeTypes()).map((t) => t.name);
	expect(loaded).toEqual(expect.arrayContaining([...types, `${PACKAGE}.identomatTool`]));
	expect((await n8n.credentialTypes()).map((c) => c.name)).toContain('identomatApi');
});

test('a workflow saved with the installed node runs under n8n start', async () => {
	const credential = await n8n.api('POST', '/credentials', {
		name: CREDENTIAL.name,
		type: 'identomatApi',
		data: { apiKey: sb.companyKey, widgetBaseUrl: sb.widgetBaseUrl, apiBaseUrl: sb.apiBaseUrl, secretKey: '', callbackApiKey: '' },
	});
	expect(credential.status).toBe(200);
	const saved = await n8n.api('POST', '/workflows', screeningWorkflow(credential.body.id));
	expect(saved.status).toBe(200);
	await n8n.activate(saved.body.id, { webhookPaths: [WORKFLOW_PATH] });
	await runSavedWorkflow();
});

test('Update: a higher version on the registry is offered, installed, and the saved workflow keeps running', async () => {
	const next = nextVersion(tarball, work);
	await registry.publish(next.dir);

	expect(await installedPackage()).toMatchObject({ installedVersion: version, updateAvailable: next.version });

	const update = await n8n.rest('PATCH', '/community-packages', { name: PACKAGE });
	expect(update.status).toBe(200);
	expect(update.body.data).toMatchObject({ packageName: PACKAGE, installedVersion: next.version });
	expect(registry.requests).toContain(`/${PACKAGE}/-/${PACKAGE}-${next.version}.tgz`);

	const listed = await installedPackage();
	expect(listed).toMatchObject({ installedVersion: next.version, failedLoading: false });
	expect(listed.updateAvailable).toBeUndefined();
	const onDisk = JSON.parse(fs.readFileSync(path.join(n8n.n8nFolder, 'nodes/node_modules', PACKAGE, 'package.json'), 'utf8'));
	expect(onDisk.version).toBe(next.version);
	await runSavedWorkflow();
});
