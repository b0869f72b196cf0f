#!/usr/bin/env node
// The demo driver (run by scripts/demo.sh under Node 24): the Identomat sandbox on 127.0.0.1:8484
// and a real n8n on 127.0.0.1:5678 whose user folder is .cache/demo/, with the packed package
// installed as a community package, the "Identomat Sandbox" credential, the example workflows
// (the webhook and trigger ones published) and an owner account. Ctrl-C stops both.
// Re-running reuses .cache/demo/ (the package, credential and examples are installed again);
// DEMO_RESET=1 starts from an empty n8n.
'use strict';
const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { startSandbox } = require('../sandbox/index.ts');
const { exampleWorkflowsFor } = require('../sandbox/exampleWorkflows.ts');
const { tryItLines } = require('./demo-printout');

const ROOT = path.resolve(__dirname, '..');
const USER_FOLDER = path.join(ROOT, '.cache/demo');
const N8N_FOLDER = path.join(USER_FOLDER, '.n8n');
const PORT = Number(process.env.DEMO_PORT || 5678);
const SANDBOX_PORT = Number(process.env.SANDBOX_PORT || 8484);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const CALLBACK_KEY = 'demo-callback-key';
const OWNER = { email: 'demo@example.com', firstName: 'Demo', lastName: 'User', password: 'Demo-Passw0rd' };
/** Published (active) on start: the ones that listen for something. */
const PUBLISHED = ['idmtKycOnboard01', 'idmtDocCheck0001', 'idmtCallbackSms1', 'idmtMonitorAlert', 'idmtMcpServer001'];

/** The MCP server's bearer token: made on the first run, kept in .cache/demo/ so MCP clients stay set up across restarts. */
function mcpToken() {
	const file = path.join(USER_FOLDER, 'mcp-token');
	if (!fs.existsSync(file)) fs.writeFileSync(file, crypto.randomBytes(24).toString('hex'), { mode: 0o600 });
	return fs.readFileSync(file, 'utf8').trim();
}

function arg(name) {
	const i = process.argv.indexOf(name);
	if (i === -1 || !process.argv[i + 1]) throw new Error(`missing ${name}`);
	return process.argv[i + 1];
}

function n8nEnv() {
	const env = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|NODE_ENV$|NODE_OPTIONS$|npm_)/.test(key)) continue;
		env[key] = value;
	}
	return {
		...env,
		PATH: [path.dirname(process.execPath), env.PATH].filter(Boolean).join(path.delimiter),
		N8N_USER_FOLDER: USER_FOLDER,
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(PORT),
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: `${BASE_URL}/`,
		WEBHOOK_URL: `${BASE_URL}/`,
		N8N_WEBHOOK_URL: `${BASE_URL}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_LOG_LEVEL: 'info',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_RUNNERS_MODE: 'internal',
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// The package comes from this repository, installed below; never fetched or vetted online.
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// The sandbox lives on 127.0.0.1.
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem',
		EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
	};
}

/** As n8n's own installer does: unpack into .n8n/nodes/node_modules/<name>, without dev/peer deps (the package has no dependencies). */
function installPackage(tarball) {
	const nodesDir = path.join(N8N_FOLDER, 'nodes');
	const unpack = fs.mkdtempSync(path.join(USER_FOLDER, 'unpack-'));
	execFileSync('tar', ['-xzf', tarball, '-C', unpack, '--strip-components=1']);
	const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
		fs.readFileSync(path.join(unpack, 'package.json'), 'utf8'),
	);
	void devDependencies, peerDependencies, optionalDependencies;
	if (Object.keys(manifest.dependencies ?? {}).length) throw new Error('the package has runtime dependencies; the demo does not install them');
	fs.writeFileSync(path.join(unpack, 'package.json'), JSON.stringify(manifest, null, 2));
	const dir = path.join(nodesDir, 'node_modules', manifest.name);
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	fs.renameSync(unpack, dir);
	const listPath = path.join(nodesDir, 'package.json');
	const list = fs.existsSync(listPath) ? JSON.parse(fs.readFileSync(listPath, 'utf8')) : { name: 'installed-nodes', private: true, dependencies: {} };
	list.dependencies = { ...list.dependencies, [manifest.name]: manifest.version };
	fs.writeFileSync(listPath, JSON.stringify(list, null, 2));
	return manifest;
}

function cli(n8nBin, args) {
	try {
		execFileSync(process.execPath, [n8nBin, ...args], { cwd: USER_FOLDER, env: n8nEnv(), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
	} catch (err) {
		throw new Error(`n8n ${args.join(' ')} failed:\n${String(err.stdout ?? '').slice(-2000)}\n${String(err.stderr ?? '').slice(-2000)}`);
	}
}

async function portIsFree(port) {
	try {
		await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
		return false;
	} catch {
		return true;
	}
}

async function main() {
	const n8nBin = path.resolve(ROOT, arg('--n8n-bin'));
	const tarball = path.resolve(ROOT, arg('--tarball'));
	if (!(await portIsFree(PORT))) throw new Error(`port ${PORT} is in use (another n8n or demo?). Stop it, or set DEMO_PORT.`);

	const sb = await startSandbox({ port: SANDBOX_PORT });
	let n8n;
	let stopping = false;
	const stop = async (code = 0) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write('\nStopping n8n and the sandbox…\n');
		if (n8n && n8n.exitCode === null) {
			try {
				process.kill(-n8n.pid, 'SIGTERM');
			} catch {
				// gone
			}
			const killer = setTimeout(() => {
				try {
					process.kill(-n8n.pid, 'SIGKILL');
				} catch {
					// gone
				}
			}, 15_000);
			await new Promise((resolve) => (n8n.exitCode !== null ? resolve() : n8n.once('exit', resolve)));
			clearTimeout(killer);
		}
		await sb.close();
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));

	try {
		if (process.env.DEMO_RESET === '1') fs.rmSync(USER_FOLDER, { recursive: true, force: true });
		fs.mkdirSync(N8N_FOLDER, { recursive: true });
		const pkg = installPackage(tarball);
		const token = mcpToken();

		const work = fs.mkdtempSync(path.join(USER_FOLDER, 'import-'));
		const credentialsFile = path.join(work, 'credentials.json');
		fs.writeFileSync(
			credentialsFile,
			JSON.stringify([
				{
					id: 'identomat-sandbox',
					name: 'Identomat Sandbox',
					type: 'identomatApi',
					data: { apiKey: sb.companyKey, widgetBaseUrl: sb.widgetBaseUrl, apiBaseUrl: sb.apiBaseUrl, callbackApiKey: CALLBACK_KEY },
				},
				// Example 7's MCP Server Trigger asks for it (Authentication: Bearer Auth).
				{ id: 'identomat-mcp-token', name: 'Identomat MCP token', type: 'httpBearerAuth', data: { token } },
			]),
		);
		const workflowsDir = path.join(work, 'workflows');
		fs.mkdirSync(workflowsDir);
		for (const { file, workflow } of exampleWorkflowsFor(sb.url)) {
			fs.writeFileSync(path.join(workflowsDir, file), JSON.stringify(workflow, null, '\t'));
		}
		process.stdout.write(`Installing ${pkg.name} ${pkg.version}, the credential and ${fs.readdirSync(workflowsDir).length} example workflows…\n`);
		cli(n8nBin, ['import:credentials', `--input=${credentialsFile}`]);
		cli(n8nBin, ['import:workflow', '--separate', `--input=${workflowsDir}`]);
		for (const id of PUBLISHED) cli(n8nBin, ['publish:workflow', `--id=${id}`]);
		fs.rmSync(work, { recursive: true, force: true });

		process.stdout.write('Starting n8n (log: .cache/demo/n8n.log)…\n');
		const log = fs.openSync(path.join(USER_FOLDER, 'n8n.log'), 'w');
		n8n = spawn(process.execPath, [n8nBin, 'start'], { cwd: USER_FOLDER, env: n8nEnv(), detached: true, stdio: ['ignore', log, log] });
		n8n.on('exit', (code, signal) => {
			if (!stopping) {
				process.stderr.write(`n8n stopped on its own (${code ?? signal}); see .cache/demo/n8n.log\n`);
				void stop(1);
			}
		});
		const deadline = Date.now() + 240_000;
		for (;;) {
			try {
				const res = await fetch(`${BASE_URL}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
				if (res.ok) break;
			} catch {
				// not yet
			}
			if (Date.now() > deadline) throw new Error('n8n did not become ready in 4 minutes; see .cache/demo/n8n.log');
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
		const setup = await fetch(`${BASE_URL}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(OWNER),
		});
		const setupText = await setup.text();
		if (!setup.ok && !/already/i.test(setupText)) throw new Error(`owner setup: ${setup.status} ${setupText}`);

		const lines = [
			'',
			'n8n with the Identomat nodes is ready',
			`  Open:        ${BASE_URL}/`,
			`  Log in:      ${OWNER.email} / ${OWNER.password}${setup.ok ? '' : ' (the owner from an earlier run)'}`,
			'  Credential:  "Identomat Sandbox" (points at the sandbox; use your own key and URLs for the real service)',
			'  Workflows:   the examples, named "Identomat: …" (KYC onboarding, document check, callback relay,',
			'               monitoring alerts and the MCP server are active)',
			'',
			'Identomat sandbox',
			`  Widget API:  ${sb.widgetBaseUrl}`,
			`  API:         ${sb.apiBaseUrl}`,
			`  Company key: ${sb.companyKey}`,
			`  Callback key: ${CALLBACK_KEY}`,
			`  Session page: ${sb.url}/?session_token=<session id>  (Approve / Reject buttons)`,
			'',
			...tryItLines({
				baseUrl: BASE_URL,
				sandboxUrl: sb.url,
				callbackKey: CALLBACK_KEY,
				extra: [
					`  Monitoring:      curl -s -X POST ${sb.url}/__sandbox/monitoring/touch   (an alert run within a minute)`,
					`  MCP server:      ${BASE_URL}/mcp/identomat  (Streamable HTTP, and SSE on the same URL)`,
					`                   with the header  Authorization: Bearer ${token}  (credential "Identomat MCP token")`,
					'                   e.g. npx @modelcontextprotocol/inspector, Transport "Streamable HTTP", that URL, Authentication: that',
					'                   bearer token, then List Tools.',
					`                   Session IDs to try: curl -s -X POST -H 'content-type: application/json' -d '{"result":"approved"}' ${sb.url}/__sandbox/sessions`,
					'  KYC assistant:   open "Identomat: KYC assistant", pick your own model credential in Chat Model, then Open chat.',
				],
			}),
			'',
			'Press Ctrl-C to stop.',
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} catch (err) {
		process.stderr.write(`Demo could not start: ${err.message}\n`);
		await stop(1);
	}
}

main().catch((err) => {
	process.stderr.write(`Demo could not start: ${err.message}\n`);
	process.exit(1);
});
