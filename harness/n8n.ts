/**
 * End-to-end harness: a real n8n (installed by scripts/ensure-n8n.sh into .cache/) with our
 * packed package installed as a community package, driven through its CLI and, once started,
 * through its REST and public APIs over 127.0.0.1.
 *
 *   const n8n = await createN8n({ major: 2, binaryDataMode: 'filesystem', packageTarball });
 *   await n8n.importCredentials([{ id, name, type: 'identomatApi', data: { ... } }]);
 *   await n8n.importWorkflows([workflow]);
 *   const { run, stdout, stderr } = await n8n.execute(workflow.id);
 *   await n8n.start();                      // owner, login cookie, public API key
 *   await n8n.api('POST', `/workflows/${id}/activate`);
 *   await n8n.stop();                       // or disposeAll() in afterAll
 *
 * Every instance has its own temp N8N_USER_FOLDER, its own HTTP port and its own task-broker
 * ports, so several can run at once. Processes are started in their own process group and the
 * whole group is killed on stop, on timeout and when the test process exits.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The project folder (E2E_ROOT when this file runs compiled elsewhere, as the queue bench does). */
export const ROOT = process.env.E2E_ROOT ? path.resolve(process.env.E2E_ROOT) : path.resolve(__dirname, '..');

export type N8nMajor = 1 | 2;
export type BinaryDataMode = 'default' | 'filesystem';

export interface N8nOptions {
	/** 2 = n8n 2.41.1 on Node 24 (default), 1 = newest n8n 1.x on the system Node 20. */
	major?: N8nMajor;
	/** N8N_DEFAULT_BINARY_DATA_MODE; n8n 2.x defaults to filesystem, 1.x to default (memory). */
	binaryDataMode?: BinaryDataMode;
	/** An `npm pack` tarball installed as a community package before anything runs. */
	packageTarball?: string;
	/** Extra environment for every n8n process of this instance (wins over the defaults). */
	env?: Record<string, string>;
	/** Keep the user folder after dispose (also: E2E_KEEP_USER_FOLDERS=1). */
	keepUserFolder?: boolean;
	/** Where the user folder is made (default: the OS temp folder). */
	parentDir?: string;
	/** Its HTTP port (default: a free one). */
	port?: number;
}

export interface CommandResult {
	code: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
}

export interface ExecuteResult extends CommandResult {
	/** The parsed run (IRun) n8n printed, on success and on failure alike; undefined if none. */
	run: any;
	/** run.data.resultData.runData, for convenience. */
	runData: Record<string, any[]>;
	/** run.data.resultData.error, when the execution failed. */
	error: any;
	/** The items of the first output of the last run of `nodeName`. */
	items(nodeName: string, outputIndex?: number): Array<{ json: any; binary?: any }>;
}

export interface HttpResult<T = any> {
	status: number;
	headers: Headers;
	body: T;
	text: string;
}

export interface CredentialImport {
	id: string;
	name: string;
	type: string;
	/** Plain object: n8n encrypts it on import. */
	data: Record<string, unknown>;
	[key: string]: unknown;
}

const OWNER = {
	email: 'e2e-owner@example.com',
	firstName: 'E2E',
	lastName: 'Owner',
	password: 'E2e-Owner-Passw0rd',
};

const START_TIMEOUT_MS = Number(process.env.E2E_N8N_START_TIMEOUT_MS ?? 240_000);
const COMMAND_TIMEOUT_MS = Number(process.env.E2E_N8N_COMMAND_TIMEOUT_MS ?? 300_000);

// ---------------------------------------------------------------------------------------------
// Node and n8n binaries

let node24Dir: string | undefined;
/** Directory holding Node 24's `node` (installed by scripts/ensure-node24.sh). */
export function ensureNode24(): string {
	node24Dir ??= execFileSync('bash', [path.join(ROOT, 'scripts/ensure-node24.sh')], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	}).trim();
	return node24Dir;
}

/** Directory of the machine's own Node (20), for n8n 1.x: the first `node` on PATH that is not Node 24. */
export function systemNodeDir(): string {
	if (process.env.E2E_NODE20_DIR) return process.env.E2E_NODE20_DIR;
	const node24Root = path.join(ROOT, '.cache/node24');
	for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
		if (!dir || path.resolve(dir).startsWith(node24Root)) continue;
		if (fs.existsSync(path.join(dir, 'node'))) return dir;
	}
	throw new Error('No system Node found on PATH for n8n 1.x (set E2E_NODE20_DIR)');
}

const n8nBins = new Map<N8nMajor, string>();
/** Path of the n8n bin for a major version, installing it into .cache/ first if needed (minutes). */
export function ensureN8n(major: N8nMajor): string {
	let bin = n8nBins.get(major);
	if (!bin) {
		bin = execFileSync('bash', [path.join(ROOT, 'scripts/ensure-n8n.sh'), String(major)], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
			timeout: 20 * 60_000,
		}).trim();
		n8nBins.set(major, bin);
	}
	return bin;
}

/** The n8n version a host pins (e2e/hosts/n8n-<major>/package.json). */
export function n8nVersion(major: N8nMajor): string {
	const pkg = JSON.parse(
		fs.readFileSync(path.join(ROOT, `e2e/hosts/n8n-${major}/package.json`), 'utf8'),
	);
	return pkg.dependencies.n8n;
}

/**
 * The packed n8n-nodes-identomat tarball under test: E2E_PACKAGE_TARBALL, which scripts/e2e.sh
 * sets after `npm run build && npm pack`. Throws (never skips) when there is none.
 */
export function packageTarball(): string {
	const tarball = process.env.E2E_PACKAGE_TARBALL;
	if (!tarball) {
		throw new Error('E2E_PACKAGE_TARBALL is not set: run the e2e tests with `bash scripts/e2e.sh`');
	}
	if (!fs.existsSync(tarball)) throw new Error(`E2E_PACKAGE_TARBALL does not exist: ${tarball}`);
	return tarball;
}

// ---------------------------------------------------------------------------------------------
// Ports

const handedOut = new Set<number>();
/** A free TCP port on 127.0.0.1, never the same one twice in this process. */
export async function freePort(): Promise<number> {
	for (let attempt = 0; attempt < 50; attempt++) {
		const port = await new Promise<number>((resolve, reject) => {
			const server = net.createServer();
			server.unref();
			server.on('error', reject);
			server.listen(0, '127.0.0.1', () => {
				const { port } = server.address() as net.AddressInfo;
				server.close(() => resolve(port));
			});
		});
		if (!handedOut.has(port)) {
			handedOut.add(port);
			return port;
		}
	}
	throw new Error('Could not find a free port');
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping: kill whole process groups, also when the test process dies.

const liveGroups = new Set<number>();
function killGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// already gone
	}
}
function killAllGroups(): void {
	for (const pid of liveGroups) killGroup(pid, 'SIGKILL');
	liveGroups.clear();
}
// Best effort only: jest's test environment may hand us a copy of `process`. What really cleans up
// after a test process that died is the supervisor below.
process.on('exit', killAllGroups);

/**
 * Start `file args` as the leader's child in a new process group, supervised: a small bash
 * wrapper kills the whole group as soon as its stdin (a pipe nobody writes to) reaches EOF, that
 * is when this test process is gone, however it ended. Its exit code is the command's.
 */
const SUPERVISOR = [
	// (a background job's stdin would be /dev/null: keep the pipe on fd 3 for the watcher)
	'exec 3<&0',
	'"$@" </dev/null 3<&- &',
	'pid=$!',
	'( read -r _ <&3; kill -KILL -- -$$ ) &',
	'watcher=$!',
	'wait "$pid"; code=$?',
	'kill "$watcher" 2>/dev/null',
	'exit "$code"',
].join('\n');

function spawnSupervised(
	file: string,
	args: string[],
	opts: { cwd: string; env: NodeJS.ProcessEnv },
): ChildProcess {
	const child = spawn('bash', ['-c', SUPERVISOR, 'n8n-e2e-supervisor', file, ...args], {
		cwd: opts.cwd,
		env: opts.env,
		detached: true,
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	liveGroups.add(child.pid!);
	return child;
}

/**
 * A long-running process (a database, `n8n worker`, …) in its own supervised process group, like
 * `n8n start`: killed with its group on stop() and when the test process is gone.
 */
export class Service {
	readonly pid: number;
	/** Resolves when the process has exited (its whole group is killed then too). */
	readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
	exitStatus?: { code: number | null; signal: NodeJS.Signals | null };
	private output = '';

	constructor(
		readonly label: string,
		child: ChildProcess,
		onOutput?: (text: string) => void,
	) {
		this.pid = child.pid!;
		const onData = (d: string) => {
			this.output += d;
			onOutput?.(d);
			if (process.env.E2E_VERBOSE) process.stderr.write(`[${label}] ${d}`);
		};
		child.stdout!.setEncoding('utf8').on('data', onData);
		child.stderr!.setEncoding('utf8').on('data', onData);
		this.exited = new Promise((resolve) => {
			child.on('error', (error) => {
				this.output += `\n${label}: ${error.message}\n`;
				this.exitStatus = { code: null, signal: null };
				liveGroups.delete(this.pid);
				resolve(this.exitStatus);
			});
			child.on('close', (code, signal) => {
				this.exitStatus = { code, signal };
				killGroup(this.pid, 'SIGKILL');
				liveGroups.delete(this.pid);
				resolve(this.exitStatus);
			});
		});
	}

	/** Everything it printed so far, stdout and stderr. */
	logs(): string {
		return this.output;
	}

	/** Waits until its output matches `pattern`; throws (with the output's tail) if it exits first or time runs out. */
	async waitForLog(pattern: RegExp, timeoutMs = START_TIMEOUT_MS): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (!pattern.test(this.output)) {
			if (this.exitStatus) {
				throw new Error(`${this.label} exited (${this.exitStatus.code ?? this.exitStatus.signal}) before ${pattern}\n${tail(this.output, 8000)}`);
			}
			if (Date.now() > deadline) throw new Error(`${this.label}: no ${pattern} after ${timeoutMs} ms\n${tail(this.output, 8000)}`);
			await sleep(200);
		}
	}

	/** `signal` to the whole group (SIGKILL: a crash), SIGKILL after `graceMs`; waits until it is gone. */
	async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 20_000): Promise<void> {
		if (this.exitStatus) return;
		killGroup(this.pid, signal);
		const timer = setTimeout(() => killGroup(this.pid, 'SIGKILL'), graceMs);
		await this.exited;
		clearTimeout(timer);
	}
}

/** Start `file args` as a supervised Service (see Service). */
export function spawnService(
	label: string,
	file: string,
	args: string[],
	opts: { cwd: string; env: NodeJS.ProcessEnv; onOutput?: (text: string) => void },
): Service {
	return new Service(label, spawnSupervised(file, args, opts), opts.onOutput);
}

const instances = new Set<N8nInstance>();
/** Stop every instance and remove its user folder (use in afterAll). */
export async function disposeAll(): Promise<void> {
	await Promise.all([...instances].map(async (i) => await i.dispose()));
}

// ---------------------------------------------------------------------------------------------

/** Parse the JSON block `n8n execute --rawOutput` prints: from a line `{` to a line `}`. */
export function parseRunOutput(stdout: string): any {
	const lines = stdout.split(/\r?\n/);
	const start = lines.findIndex((l) => l === '{');
	if (start === -1) return undefined;
	for (let end = lines.length - 1; end > start; end--) {
		if (lines[end] !== '}') continue;
		try {
			return JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			// a later `}` line may belong to something else; try an earlier one
		}
	}
	return undefined;
}

export async function createN8n(options: N8nOptions = {}): Promise<N8nInstance> {
	const instance = new N8nInstance(options);
	await instance.init();
	instances.add(instance);
	if (options.packageTarball) await instance.installPackage(options.packageTarball);
	return instance;
}

export class N8nInstance {
	readonly major: N8nMajor;
	readonly version: string;
	readonly binaryDataMode: BinaryDataMode;
	readonly userFolder: string;
	/** Where n8n keeps config, database, binary data and community packages. */
	readonly n8nFolder: string;
	readonly encryptionKey = randomBytes(24).toString('hex');
	port = 0;
	/** Task broker port of `n8n start`; CLI commands get their own (they may run beside it). */
	brokerPort = 0;
	baseUrl = '';
	apiKey = '';
	readonly owner = OWNER;

	private readonly options: N8nOptions;
	private nodeDir = '';
	private bin = '';
	private server?: ChildProcess;
	private serverExit?: Promise<void>;
	private cookie = '';
	private readonly browserId = `e2e-${randomBytes(8).toString('hex')}`;
	private readonly logChunks: string[] = [];
	private disposed = false;
	private readonly services = new Set<Service>();

	constructor(options: N8nOptions) {
		this.options = options;
		this.major = options.major ?? 2;
		this.version = n8nVersion(this.major);
		this.binaryDataMode = options.binaryDataMode ?? 'filesystem';
		this.userFolder = fs.mkdtempSync(path.join(options.parentDir ?? os.tmpdir(), `n8n-e2e-${this.major}-`));
		this.n8nFolder = path.join(this.userFolder, '.n8n');
	}

	async init(): Promise<void> {
		this.nodeDir = this.major === 2 ? ensureNode24() : systemNodeDir();
		this.bin = ensureN8n(this.major);
		this.port = this.options.port ?? (await freePort());
		this.brokerPort = await freePort();
		this.baseUrl = `http://127.0.0.1:${this.port}`;
		fs.mkdirSync(this.n8nFolder, { recursive: true });
	}

	/** Everything n8n (and npm, for installPackage) printed so far, stdout and stderr. */
	logs(): string {
		return this.logChunks.join('');
	}

	/** The environment every n8n process of this instance gets. */
	env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
		const inherited: NodeJS.ProcessEnv = {};
		for (const [key, value] of Object.entries(process.env)) {
			// No n8n settings from the caller's shell, and no NODE_ENV=test from jest: n8n refuses
			// to load nodes "in tests".
			if (/^(N8N_|DB_|EXECUTIONS_|QUEUE_|NODES_|CREDENTIALS_|GENERIC_|WEBHOOK_URL$|NODE_ENV$|NODE_OPTIONS$|JEST_|npm_)/.test(key))
				continue;
			inherited[key] = value;
		}
		const env: NodeJS.ProcessEnv = {
			...inherited,
			PATH: [this.nodeDir, inherited.PATH].filter(Boolean).join(path.delimiter),
			TZ: 'UTC',
			GENERIC_TIMEZONE: 'UTC',
			N8N_USER_FOLDER: this.userFolder,
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			// One HTTP server on loopback only, plain http, cookies usable over http.
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PORT: String(this.port),
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: `${this.baseUrl}/`,
			N8N_SECURE_COOKIE: 'false',
			// Logs: info, so `execute` prints the run of a failed execution and errors are visible.
			N8N_LOG_LEVEL: 'info',
			N8N_LOG_OUTPUT: 'console',
			// Off the network: no telemetry, version checks, templates, banners, AI, license renewal.
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			N8N_PUBLIC_API_SWAGGERUI_DISABLED: 'true',
			// Community packages from <userFolder>/.n8n/nodes; never fetched or vetted online.
			N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			// The sandbox Identomat lives on 127.0.0.1: keep SSRF protection off (2.x default).
			N8N_SSRF_PROTECTION_ENABLED: 'false',
			N8N_DEFAULT_BINARY_DATA_MODE: this.binaryDataMode,
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
			EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
			EXECUTIONS_DATA_SAVE_MANUAL_EXECUTIONS: 'true',
			N8N_RUNNERS_BROKER_PORT: String(this.brokerPort),
			N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		};
		if (this.major === 2) {
			Object.assign(env, {
				// Task runners are on in 2.x: the JS runner is a child process talking to the broker
				// on loopback (own port per process above). Internal mode needs no launcher.
				N8N_RUNNERS_MODE: 'internal',
				N8N_RUNNERS_TASK_TIMEOUT: '300',
				// The MCP registry module fetches a server list from n8n's API on start.
				N8N_DISABLED_MODULES: 'mcp-registry',
				N8N_WEBHOOK_URL: `${this.baseUrl}/`,
				// Activation goes through a publication outbox; poll it often so tests wait less.
				N8N_WORKFLOW_PUBLICATION_OUTBOX_POLL_INTERVAL_MS: '1000',
				N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
				N8N_COMPRESSION_NODE_MAX_DECOMPRESSED_SIZE_BYTES: String(2 * 1024 ** 3),
				N8N_COMPRESSION_NODE_MAX_ZIP_ENTRIES: '5000',
			});
		} else {
			// 1.x's default expression engine needs isolated-vm built for this Node; legacy does not.
			env.N8N_EXPRESSION_ENGINE = 'legacy';
			env.WEBHOOK_URL = `${this.baseUrl}/`;
		}
		return { ...env, ...this.options.env, ...extra };
	}

	private log(label: string, text: string): void {
		this.logChunks.push(text);
		if (process.env.E2E_VERBOSE) process.stderr.write(`[${label}] ${text}`);
	}

	/** Run a command in its own process group; kills the group on timeout. */
	private async runCommand(
		label: string,
		file: string,
		args: string[],
		opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
	): Promise<CommandResult> {
		const timeoutMs = opts.timeoutMs ?? COMMAND_TIMEOUT_MS;
		return await new Promise<CommandResult>((resolve, reject) => {
			const child = spawnSupervised(file, args, {
				cwd: opts.cwd ?? this.userFolder,
				env: opts.env ?? this.env(),
			});
			const pid = child.pid!;
			let stdout = '';
			let stderr = '';
			child.stdout!.setEncoding('utf8').on('data', (d: string) => {
				stdout += d;
				this.log(label, d);
			});
			child.stderr!.setEncoding('utf8').on('data', (d: string) => {
				stderr += d;
				this.log(label, d);
			});
			let timedOut = false;
			const timer = setTimeout(() => {
				timedOut = true;
				killGroup(pid, 'SIGKILL');
			}, timeoutMs);
			child.on('error', (error) => {
				clearTimeout(timer);
				liveGroups.delete(pid);
				reject(error);
			});
			child.on('close', (code, signal) => {
				clearTimeout(timer);
				// Leftovers of the group (a task runner, say) go too.
				killGroup(pid, 'SIGKILL');
				liveGroups.delete(pid);
				if (timedOut) {
					reject(
						new Error(
							`${label} timed out after ${timeoutMs} ms\n--- stdout\n${tail(stdout)}\n--- stderr\n${tail(stderr)}`,
						),
					);
				} else {
					resolve({ code, signal, stdout, stderr });
				}
			});
		});
	}

	/** `n8n <args>` as a CLI command (own task-broker port, so it can run beside `n8n start`). */
	async cli(args: string[], opts: { timeoutMs?: number } = {}): Promise<CommandResult> {
		const env = this.env({ N8N_RUNNERS_BROKER_PORT: String(await freePort()) });
		return await this.runCommand(`n8n ${args[0]}`, path.join(this.nodeDir, 'node'), [this.bin, ...args], {
			env,
			timeoutMs: opts.timeoutMs,
		});
	}

	private async cliOrThrow(args: string[]): Promise<CommandResult> {
		const result = await this.cli(args);
		if (result.code !== 0) {
			throw new Error(
				`n8n ${args.join(' ')} exited with ${result.code ?? result.signal}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`,
			);
		}
		return result;
	}

	/**
	 * Install an `npm pack` tarball as a community package the way n8n's own installer does
	 * (CommunityPackagesService.downloadPackage in 1.123 and 2.41): unpack it into
	 * <userFolder>/.n8n/nodes/node_modules/<name>, drop its dev/peer/optional dependencies,
	 * `npm install` its own dependencies there (none for us: no network needed) with scripts off,
	 * and record it in <userFolder>/.n8n/nodes/package.json.
	 */
	async installPackage(tarball: string): Promise<{ name: string; version: string; dir: string }> {
		const tarballPath = path.resolve(tarball);
		if (!fs.existsSync(tarballPath)) throw new Error(`Package tarball not found: ${tarballPath}`);
		const nodesDir = path.join(this.n8nFolder, 'nodes');
		const unpackDir = fs.mkdtempSync(path.join(this.userFolder, 'unpack-'));
		execFileSync('tar', ['-xzf', tarballPath, '-C', unpackDir, '--strip-components=1']);
		const manifestPath = path.join(unpackDir, 'package.json');
		const { devDependencies, peerDependencies, optionalDependencies, ...manifest } = JSON.parse(
			fs.readFileSync(manifestPath, 'utf8'),
		);
		void devDependencies;
		void peerDependencies;
		void optionalDependencies;
		const name: string = manifest.name;
		const version: string = manifest.version;
		const dir = path.join(nodesDir, 'node_modules', name);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(path.dirname(dir), { recursive: true });
		fs.renameSync(unpackDir, dir);
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(manifest, null, 2));

		const env = this.env();
		const npm = await this.runCommand(
			'npm install',
			'npm',
			[
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
				'--omit=peer',
				'--omit=dev',
			],
			{ cwd: dir, env, timeoutMs: 120_000 },
		);
		if (npm.code !== 0) {
			throw new Error(`npm install of ${name} failed (${npm.code})\n${tail(npm.stdout)}\n${tail(npm.stderr)}`);
		}

		const nodesPackageJson = path.join(nodesDir, 'package.json');
		const nodesManifest = fs.existsSync(nodesPackageJson)
			? JSON.parse(fs.readFileSync(nodesPackageJson, 'utf8'))
			: { name: 'installed-nodes', private: true, dependencies: {} };
		nodesManifest.dependencies = { ...nodesManifest.dependencies, [name]: version };
		fs.writeFileSync(nodesPackageJson, JSON.stringify(nodesManifest, null, 2));
		return { name, version, dir };
	}

	private writeTempJson(prefix: string, data: unknown): string {
		const file = path.join(fs.mkdtempSync(path.join(this.userFolder, `${prefix}-`)), `${prefix}.json`);
		fs.writeFileSync(file, JSON.stringify(data, null, 2));
		return file;
	}

	/** `n8n import:credentials --input=<file>`; plain `data` objects are encrypted by n8n. */
	async importCredentials(credentials: CredentialImport[]): Promise<CommandResult> {
		const file = this.writeTempJson('credentials', credentials);
		return await this.cliOrThrow(['import:credentials', `--input=${file}`]);
	}

	/** `n8n import:workflow --separate --input=<dir>`: an array of workflows, or a directory of JSON files. */
	async importWorkflows(workflows: object[] | string): Promise<CommandResult> {
		let dir: string;
		if (typeof workflows === 'string') {
			dir = path.resolve(workflows);
		} else {
			dir = fs.mkdtempSync(path.join(this.userFolder, 'workflows-'));
			workflows.forEach((wf, i) => {
				const id = (wf as { id?: string }).id ?? String(i);
				fs.writeFileSync(path.join(dir, `${i}-${id}.json`), JSON.stringify(wf, null, 2));
			});
		}
		return await this.cliOrThrow(['import:workflow', '--separate', `--input=${dir}`]);
	}

	/**
	 * `n8n execute --id <id> --rawOutput`: the run as n8n printed it (also for failed executions,
	 * whose run n8n logs at info level), plus stdout/stderr for assertions on messages.
	 */
	async execute(workflowId: string, opts: { timeoutMs?: number } = {}): Promise<ExecuteResult> {
		const result = await this.cli(['execute', `--id=${workflowId}`, '--rawOutput'], opts);
		const run = parseRunOutput(result.stdout);
		const runData: Record<string, any[]> = run?.data?.resultData?.runData ?? {};
		return {
			...result,
			run,
			runData,
			error: run?.data?.resultData?.error,
			items(nodeName: string, outputIndex = 0) {
				const runs = runData[nodeName];
				if (!runs?.length) {
					throw new Error(`Node "${nodeName}" did not run; ran: ${Object.keys(runData).join(', ')}`);
				}
				return runs[runs.length - 1].data?.main?.[outputIndex] ?? [];
			},
		};
	}

	// -------------------------------------------------------------------------------------------
	// n8n start

	get running(): boolean {
		return !!this.server;
	}

	/** The process id of the supervisor of `n8n start` (n8n is its child), while it runs. */
	get serverPid(): number | undefined {
		return this.server?.pid;
	}

	/**
	 * `n8n start` on 127.0.0.1; waits until it is ready, sets up the owner (first start), logs in
	 * and creates a public API key with every scope the owner may have.
	 */
	async start(opts: { timeoutMs?: number } = {}): Promise<void> {
		if (this.server) throw new Error('n8n is already running');
		const timeoutMs = opts.timeoutMs ?? START_TIMEOUT_MS;
		const child = spawnSupervised(path.join(this.nodeDir, 'node'), [this.bin, 'start'], {
			cwd: this.userFolder,
			env: this.env(),
		});
		this.server = child;
		let output = '';
		const onData = (d: string) => {
			output += d;
			this.log('n8n start', d);
		};
		child.stdout!.setEncoding('utf8').on('data', onData);
		child.stderr!.setEncoding('utf8').on('data', onData);
		let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
		this.serverExit = new Promise((resolve) => {
			child.on('close', (code, signal) => {
				exited = { code, signal };
				killGroup(child.pid!, 'SIGKILL');
				liveGroups.delete(child.pid!);
				resolve();
			});
		});

		const deadline = Date.now() + timeoutMs;
		try {
			for (;;) {
				if (exited) throw new Error(`n8n start exited early (${exited.code ?? exited.signal})`);
				if (Date.now() > deadline) throw new Error(`n8n start not ready after ${timeoutMs} ms`);
				if (/Editor is now accessible via/.test(output) && (await this.isReady())) break;
				await sleep(250);
			}
			await this.setUpOwnerAndApiKey();
		} catch (error) {
			await this.stop();
			(error as Error).message += `\n--- n8n output\n${tail(output, 8000)}`;
			throw error;
		}
	}

	private async isReady(): Promise<boolean> {
		try {
			const res = await fetch(`${this.baseUrl}/healthz/readiness`, { signal: AbortSignal.timeout(2000) });
			return res.ok;
		} catch {
			return false;
		}
	}

	private async setUpOwnerAndApiKey(): Promise<void> {
		const setup = await this.rest('POST', '/owner/setup', OWNER);
		if (setup.status !== 200 && !/already/i.test(setup.text)) {
			throw new Error(`Owner setup failed: ${setup.status} ${setup.text}`);
		}
		const login = await this.rest('POST', '/login', {
			emailOrLdapLoginId: OWNER.email,
			password: OWNER.password,
		});
		if (login.status !== 200) throw new Error(`Login failed: ${login.status} ${login.text}`);
		if (!this.apiKey) {
			const scopes = await this.rest('GET', '/api-keys/scopes');
			if (scopes.status !== 200) throw new Error(`API key scopes: ${scopes.status} ${scopes.text}`);
			const created = await this.rest('POST', '/api-keys', {
				label: 'e2e',
				scopes: scopes.body.data,
				expiresAt: null,
			});
			if (created.status !== 200) throw new Error(`API key creation failed: ${created.status} ${created.text}`);
			this.apiKey = created.body.data.rawApiKey;
		}
	}

	/** SIGTERM to n8n's process group, SIGKILL after 20 s; waits until it is gone. */
	async stop(): Promise<void> {
		const child = this.server;
		if (!child) return;
		killGroup(child.pid!, 'SIGTERM');
		const timer = setTimeout(() => killGroup(child.pid!, 'SIGKILL'), 20_000);
		await this.serverExit;
		clearTimeout(timer);
		this.server = undefined;
		this.serverExit = undefined;
		this.cookie = '';
	}

	/** SIGKILL to `n8n start` and its group (a crash, not a shutdown); waits until it is gone. */
	async kill(): Promise<void> {
		const child = this.server;
		if (!child) return;
		killGroup(child.pid!, 'SIGKILL');
		await this.serverExit;
		this.server = undefined;
		this.serverExit = undefined;
		this.cookie = '';
	}

	/**
	 * `n8n <args>` (`worker`, `webhook`) as a long-running process of this instance, with its
	 * environment plus `env`; resolves once its output matches `ready`. Stopped on dispose().
	 */
	async startCommand(
		args: string[],
		ready: RegExp,
		opts: { env?: Record<string, string>; timeoutMs?: number } = {},
	): Promise<Service> {
		const label = `n8n ${args[0]}`;
		const service = spawnService(label, path.join(this.nodeDir, 'node'), [this.bin, ...args], {
			cwd: this.userFolder,
			env: this.env(opts.env),
			onOutput: (d) => this.logChunks.push(d),
		});
		this.services.add(service);
		void service.exited.then(() => this.services.delete(service));
		try {
			await service.waitForLog(ready, opts.timeoutMs);
		} catch (error) {
			await service.stop('SIGKILL');
			throw error;
		}
		return service;
	}

	/** Stop and remove the user folder (kept with keepUserFolder or E2E_KEEP_USER_FOLDERS=1). */
	async dispose(): Promise<void> {
		if (this.disposed) return;
		this.disposed = true;
		await this.stop();
		await Promise.all([...this.services].map(async (service) => await service.stop()));
		instances.delete(this);
		if (!this.options.keepUserFolder && !process.env.E2E_KEEP_USER_FOLDERS) {
			fs.rmSync(this.userFolder, { recursive: true, force: true });
		}
	}

	// -------------------------------------------------------------------------------------------
	// HTTP

	/** Any request to this n8n (webhooks, say): `path` is relative to the base URL. */
	async http(method: string, urlPath: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
		const init: RequestInit = { method, headers: { ...headers } };
		if (body !== undefined) {
			if (typeof body === 'string' || body instanceof Uint8Array || body instanceof FormData) {
				init.body = body as BodyInit;
			} else {
				init.body = JSON.stringify(body);
				(init.headers as Record<string, string>)['content-type'] ??= 'application/json';
			}
		}
		const res = await fetch(`${this.baseUrl}${urlPath.startsWith('/') ? '' : '/'}${urlPath}`, init);
		const text = await res.text();
		let parsed: unknown = text;
		try {
			parsed = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON
		}
		return { status: res.status, headers: res.headers, body: parsed, text };
	}

	/** n8n's internal REST API (`/rest/...`) as the logged-in owner. */
	async rest(method: string, urlPath: string, body?: unknown): Promise<HttpResult> {
		return await this.session(method, `/rest${urlPath}`, body);
	}

	/** Any request to this n8n with the owner's login cookie (and browser id). */
	async session(method: string, urlPath: string, body?: unknown): Promise<HttpResult> {
		const headers: Record<string, string> = { 'browser-id': this.browserId };
		if (this.cookie) headers.cookie = this.cookie;
		const result = await this.http(method, urlPath, body, headers);
		const setCookie = result.headers.getSetCookie?.() ?? [];
		for (const c of setCookie) {
			const m = /^n8n-auth=([^;]*)/.exec(c);
			if (m) this.cookie = `n8n-auth=${m[1]}`;
		}
		return result;
	}

	/** The public API (`/api/v1/...`) with the instance's API key. */
	async api(method: string, urlPath: string, body?: unknown): Promise<HttpResult> {
		if (!this.apiKey) throw new Error('No API key yet: call start() first');
		return await this.http(method, `/api/v1${urlPath}`, body, { 'X-N8N-API-KEY': this.apiKey });
	}

	/** The node types the running n8n knows (what its editor loads), e.g. to see a package loaded. */
	async nodeTypes(): Promise<Array<{ name: string; displayName: string; version: number | number[] }>> {
		const res = await this.session('GET', '/types/nodes.json');
		if (res.status !== 200) throw new Error(`/types/nodes.json: ${res.status} ${res.text}`);
		return res.body;
	}

	async credentialTypes(): Promise<Array<{ name: string; displayName: string }>> {
		const res = await this.session('GET', '/types/credentials.json');
		if (res.status !== 200) throw new Error(`/types/credentials.json: ${res.status} ${res.text}`);
		return res.body;
	}

	/**
	 * Activate (publish) a workflow through the public API. n8n 2.x registers its triggers
	 * asynchronously: pass the production webhook paths to wait until each answers a CORS
	 * preflight (an OPTIONS request runs nothing).
	 */
	async activate(
		workflowId: string,
		opts: { webhookPaths?: string[]; timeoutMs?: number } = {},
	): Promise<any> {
		const res = await this.api('POST', `/workflows/${workflowId}/activate`);
		if (res.status !== 200) throw new Error(`activate ${workflowId}: ${res.status} ${res.text}`);
		const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
		for (const webhookPath of opts.webhookPaths ?? []) {
			for (;;) {
				const probe = await this.http('OPTIONS', `/webhook/${webhookPath}`, undefined, {
					origin: this.baseUrl,
					'access-control-request-method': 'POST',
				});
				if (probe.status < 400) break;
				if (Date.now() > deadline) {
					throw new Error(`webhook ${webhookPath} not registered in time: ${probe.status} ${probe.text}`);
				}
				await sleep(250);
			}
		}
		return res.body;
	}

	async deactivate(workflowId: string): Promise<any> {
		const res = await this.api('POST', `/workflows/${workflowId}/deactivate`);
		if (res.status !== 200) throw new Error(`deactivate ${workflowId}: ${res.status} ${res.text}`);
		return res.body;
	}

	/** Poll the public API until an execution of the workflow has finished; returns it with its data. */
	async waitForExecution(
		workflowId: string,
		opts: { timeoutMs?: number; after?: string; status?: string } = {},
	): Promise<any> {
		const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
		for (;;) {
			const list = await this.api('GET', `/executions?workflowId=${encodeURIComponent(workflowId)}&limit=20`);
			if (list.status !== 200) throw new Error(`executions list: ${list.status} ${list.text}`);
			const done = (list.body.data as any[]).find(
				(e) =>
					e.stoppedAt &&
					(!opts.after || Number(e.id) > Number(opts.after)) &&
					(!opts.status || e.status === opts.status),
			);
			if (done) {
				const full = await this.api('GET', `/executions/${done.id}?includeData=true`);
				if (full.status !== 200) throw new Error(`execution ${done.id}: ${full.status} ${full.text}`);
				return full.body;
			}
			if (Date.now() > deadline) throw new Error(`No finished execution of ${workflowId} in time`);
			await sleep(500);
		}
	}
}

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function tail(text: string, max = 4000): string {
	return text.length > max ? `…${text.slice(-max)}` : text;
}
