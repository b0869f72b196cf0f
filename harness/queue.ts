/**
 * n8n's queue mode for the end-to-end tests, as companies run it at volume:
 *
 *   const stack = await startQueueStack({ packageTarball, workers: 2 });
 *   stack.main        n8n start, EXECUTIONS_MODE=queue: editor, API, polling triggers (no production webhooks)
 *   stack.workers     n8n worker ×N: run the executions they take from Redis
 *   stack.webhook     n8n webhook: answers /webhook/* and /webhook-waiting/* on its own port
 *   stack.workerOf(executionId)   which worker ran an execution (from the workers' own logs)
 *   await stack.dispose()
 *
 * PostgreSQL and Redis come from Debian's packages (`postgresql`, `redis-server`) and are started
 * here on 127.0.0.1, on free ports, with their data under .cache/queue/; every process is in a
 * supervised process group (harness/n8n.ts), so nothing outlives the test process.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { createN8n, freePort, ROOT, spawnService, type N8nInstance, type Service } from './n8n';

const QUEUE_CACHE = path.join(ROOT, '.cache/queue');

// ---------------------------------------------------------------------------------------------
// PostgreSQL and Redis

/** The bin folder of the newest PostgreSQL Debian installed (/usr/lib/postgresql/<major>/bin). */
function postgresBinDir(): string {
	const base = '/usr/lib/postgresql';
	const majors = fs.existsSync(base) ? fs.readdirSync(base).filter((d) => /^\d+$/.test(d)) : [];
	if (!majors.length) throw new Error('PostgreSQL is not installed: apt-get install -y postgresql (see .ci/run)');
	return path.join(base, majors.sort((a, b) => Number(b) - Number(a))[0], 'bin');
}

/** initdb and postgres refuse to run as root: as root, run them as Debian's `postgres` user. */
function asPostgresUser(): { prefix: string[]; uid?: number; gid?: number } {
	if (process.getuid?.() !== 0) return { prefix: [] };
	const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
	return { prefix: ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--'], uid: id('-u'), gid: id('-g') };
}

export interface Postgres {
	port: number;
	database: string;
	user: string;
	service: Service;
	/** One SQL statement through psql; its rows as tab-separated lines. */
	query(sql: string): string;
	stop(): Promise<void>;
}

export async function startPostgres(dir: string): Promise<Postgres> {
	const bin = postgresBinDir();
	const data = path.join(dir, 'postgres');
	fs.mkdirSync(data, { recursive: true, mode: 0o700 });
	const user = asPostgresUser();
	if (user.uid !== undefined) fs.chownSync(data, user.uid, user.gid!);
	const run = (file: string, args: string[]) => [...user.prefix, file, ...args];
	const [initFile, ...initArgs] = run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions']);
	execFileSync(initFile, initArgs, { stdio: ['ignore', 'ignore', 'pipe'] });

	const port = await freePort();
	// Throwaway data: no fsync. No Unix socket (-k ''): TCP on 127.0.0.1 only.
	const [file, ...args] = run(path.join(bin, 'postgres'), [
		'-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', '',
		'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
	]);
	const service = spawnService('postgres', file, args, { cwd: dir, env: { PATH: process.env.PATH, LANG: 'C.UTF-8' } });
	await service.waitForLog(/database system is ready to accept connections/, 60_000);

	const psql = path.join(bin, 'psql');
	const query = (sql: string, database = 'n8n') =>
		execFileSync(psql, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database, '-v', 'ON_ERROR_STOP=1', '-tAc', sql], { encoding: 'utf8' }).trim();
	query('CREATE DATABASE n8n', 'postgres');
	return {
		port,
		database: 'n8n',
		user: 'postgres',
		service,
		query: (sql) => query(sql),
		// SIGINT is PostgreSQL's fast shutdown (SIGTERM would wait for every client to leave).
		stop: async () => await service.stop('SIGINT', 15_000),
	};
}

export interface Redis {
	port: number;
	service: Service;
	stop(): Promise<void>;
}

export async function startRedis(dir: string): Promise<Redis> {
	const data = path.join(dir, 'redis');
	fs.mkdirSync(data, { recursive: true });
	const port = await freePort();
	const service = spawnService(
		'redis',
		'redis-server',
		['--port', String(port), '--bind', '127.0.0.1', '--dir', data, '--save', '', '--appendonly', 'no'],
		{ cwd: data, env: { PATH: process.env.PATH } },
	);
	await service.waitForLog(/Ready to accept connections/, 30_000);
	return { port, service, stop: async () => await service.stop('SIGTERM', 10_000) };
}

// ---------------------------------------------------------------------------------------------
// n8n in queue mode

const OWNER_FILE = 'owner.pid';

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code !== 'ESRCH';
	}
}

/** The folders of earlier runs whose test process died before it could remove them (its services died with it). */
function removeAbandonedRuns(): void {
	for (const name of fs.readdirSync(QUEUE_CACHE).filter((n) => n.startsWith('run-'))) {
		const dir = path.join(QUEUE_CACHE, name);
		const ownerFile = path.join(dir, OWNER_FILE);
		const owner = fs.existsSync(ownerFile) ? Number(fs.readFileSync(ownerFile, 'utf8')) : 0;
		if (!owner || !isAlive(owner)) fs.rmSync(dir, { recursive: true, force: true });
	}
}

export interface QueueStackOptions {
	packageTarball: string;
	workers?: number;
	/** Extra environment for every n8n process. */
	env?: Record<string, string>;
}

export interface Worker {
	name: string;
	instance: N8nInstance;
	service: Service;
}

export class QueueStack {
	main!: N8nInstance;
	workers: Worker[] = [];
	/** The webhook processor; its http() is what a load balancer would send /webhook* to. */
	webhook!: N8nInstance;
	webhookService!: Service;
	postgres!: Postgres;
	redis!: Redis;
	readonly dir: string;
	readonly encryptionKey = randomBytes(24).toString('hex');
	private webhookPort = 0;

	constructor(private readonly options: QueueStackOptions) {
		fs.mkdirSync(QUEUE_CACHE, { recursive: true });
		removeAbandonedRuns();
		this.dir = fs.mkdtempSync(path.join(QUEUE_CACHE, 'run-'));
		fs.writeFileSync(path.join(this.dir, OWNER_FILE), String(process.pid));
		// (mkdtemp makes it 0700; PostgreSQL's user must be able to reach its data folder inside)
		fs.chmodSync(this.dir, 0o755);
	}

	/** The environment every process of the stack shares (same database, Redis, key, binary mode). */
	sharedEnv(): Record<string, string> {
		const webhookUrl = `http://127.0.0.1:${this.webhookPort}/`;
		return {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.postgres.port),
			DB_POSTGRESDB_DATABASE: this.postgres.database,
			DB_POSTGRESDB_USER: this.postgres.user,
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.redis.port),
			N8N_ENCRYPTION_KEY: this.encryptionKey,
			// n8n's default in queue mode anyway; the only mode besides S3 that works across machines.
			N8N_DEFAULT_BINARY_DATA_MODE: 'database',
			// Manual runs (the editor's "Execute workflow") go to the workers too, as n8n 3 will always do.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// Resume URLs ($execution.resumeUrl) and webhook URLs point at the webhook processor.
			N8N_WEBHOOK_URL: webhookUrl,
			// The test workflows' Code nodes hash the files they are handed.
			NODE_FUNCTION_ALLOW_BUILTIN: 'crypto',
			// A dead worker's job is given up within half a minute (n8n's defaults: 60 s lock, stalled
			// check every 30 s); main then ends its execution with an error.
			QUEUE_WORKER_LOCK_DURATION: '20000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '5000',
			QUEUE_WORKER_STALLED_INTERVAL: '10000',
			...this.options.env,
		};
	}

	async start(): Promise<this> {
		this.postgres = await startPostgres(this.dir);
		this.redis = await startRedis(this.dir);
		this.webhookPort = await freePort();
		// Main first: it runs the database migrations the others expect.
		this.main = await this.instance({ N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' });
		await this.main.start();
		this.webhook = await this.instance({}, this.webhookPort);
		// Started one after the other: each loads every node type, which takes both cores for a while.
		this.webhookService = await this.webhook.startCommand(['webhook'], /Webhook listener waiting for requests/);
		for (let i = 0; i < (this.options.workers ?? 2); i++) await this.addWorker();
		return this;
	}

	/** One more n8n process of the stack: its own user folder with the package installed. */
	private async instance(env: Record<string, string> = {}, port?: number): Promise<N8nInstance> {
		return await createN8n({ major: 2, packageTarball: this.options.packageTarball, parentDir: this.dir, port, env: { ...this.sharedEnv(), ...env } });
	}

	/** Start one more `n8n worker` (n8n's default concurrency: 10 executions at a time). */
	async addWorker(): Promise<Worker> {
		const worker = await this.startWorker(`worker ${this.workers.length + 1}`);
		this.workers.push(worker);
		return worker;
	}

	/** Stop `worker` and start a new one in its place (same position in `workers`). */
	async replaceWorker(worker: Worker): Promise<Worker> {
		const at = this.workers.indexOf(worker);
		if (at < 0) throw new Error(`${worker.name} is not a worker of this stack`);
		await worker.instance.dispose();
		this.workers[at] = await this.startWorker(`worker ${at + 1} (new)`);
		return this.workers[at];
	}

	private async startWorker(name: string): Promise<Worker> {
		const instance = await this.instance();
		return { name, instance, service: await instance.startCommand(['worker'], /n8n worker is now ready/) };
	}

	/** The worker whose log says it started `executionId`; undefined when none did. */
	workerOf(executionId: string | number): Worker | undefined {
		const started = new RegExp(`Worker started execution ${executionId} \\(job`);
		return this.workers.find((w) => started.test(w.service.logs()));
	}

	/** Production webhooks are registered asynchronously: wait until the webhook processor answers a CORS preflight for `webhookPath`. */
	async waitForWebhook(webhookPath: string, timeoutMs = 60_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const probe = await this.webhook.http('OPTIONS', `/webhook/${webhookPath}`, undefined, {
				origin: this.webhook.baseUrl,
				'access-control-request-method': 'POST',
			});
			if (probe.status < 400) return;
			if (Date.now() > deadline) throw new Error(`webhook ${webhookPath} not served by the webhook processor: ${probe.status} ${probe.text}`);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}

	async dispose(): Promise<void> {
		await Promise.all([this.main, this.webhook, ...this.workers.map((w) => w.instance)].filter(Boolean).map(async (i) => await i.dispose()));
		await Promise.all([this.postgres?.stop(), this.redis?.stop()]);
		if (!process.env.E2E_KEEP_USER_FOLDERS) fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

export async function startQueueStack(options: QueueStackOptions): Promise<QueueStack> {
	const stack = new QueueStack(options);
	try {
		return await stack.start();
	} catch (error) {
		await stack.dispose();
		throw error;
	}
}
