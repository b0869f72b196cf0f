/**
 * Model-based test of the Identomat Trigger: fast-check scripts an adversarial Identomat
 * (model.ts) and checks, for each event type, that every change comes out exactly once. First
 * against the poll logic directly (many runs, fast), then through the real node, n8n-core's
 * PollContext and the sandbox over HTTP (fewer runs).
 *
 * Reproduce a failing run: TRIGGER_MODEL_SEED=<seed printed by fast-check> (and
 * TRIGGER_MODEL_RUNS=<n> to run more or fewer).
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { ListKeptShiftingError, type PageFetcher } from '../../nodes/shared/api/pagination';
import { IdentomatTrigger } from '../../nodes/IdentomatTrigger/IdentomatTrigger.node';
import { pollAdded, pollMonitoringUpdated } from '../../nodes/IdentomatTrigger/poll';
import { PollingTrigger } from '../../harness/poll';
import { Ledger, MINUTE, type PollStep, type Scenario, scenarioArb, World } from './model';

import { type Sandbox, sandboxForFile } from '../helpers/sandbox';

type Event = 'updated' | 'added';

const SEED = Number(process.env.TRIGGER_MODEL_SEED ?? 20261201);
const RUNS = Number(process.env.TRIGGER_MODEL_RUNS ?? 1000);
const NODE_RUNS = Math.max(1, Math.round(RUNS / 20));

interface Stats {
	runs: number;
	/** Changes (or additions) some window had to bring out: each checked to come out exactly once. */
	events: number;
	/** Changes made after activation (some replaced or removed before any poll could see them). */
	made: number;
	emitted: number;
	polls: number;
	failed: number;
	keptShifting: number;
	cutShort: number;
	restarts: number;
	lost: number;
	windows: number;
	/** Changes that became visible more than a minute after their stamp, and the latest. */
	late: number;
	maxLateMs: number;
}

const newStats = (): Stats => ({
	runs: 0,
	events: 0,
	made: 0,
	emitted: 0,
	polls: 0,
	failed: 0,
	keptShifting: 0,
	cutShort: 0,
	restarts: 0,
	lost: 0,
	windows: 0,
	late: 0,
	maxLateMs: 0,
});

const versionKey = (r: { id: unknown; lastUpdatedDate?: unknown }) =>
	`${r.id}|${Date.parse(String(r.lastUpdatedDate))}`;

/** A page read the script makes fail. */
class ScriptedFailure extends Error {}

/** What one poll of a driver did. */
interface Polled {
	keys: string[];
	done: boolean;
	lost?: boolean;
	first: number;
	last: number;
}

/** Runs a scenario's polls against a driver and keeps the books. */
async function play(
	world: World,
	event: Event,
	scenario: Scenario,
	poll: (step: PollStep, activating: boolean) => Promise<Polled | undefined>,
	stats: Stats,
) {
	for (let i = 0; i < scenario.initial; i++) world.add();
	// Changes before activation: they must never come out.
	if (event === 'updated')
		world.apply({
			kind: 'touch',
			picks: Array.from({ length: scenario.initial }, (_, i) => i * 2),
			stamp: 'now',
			amount: 0,
		});
	world.onChange?.();
	const ledger = new Ledger(event === 'updated' ? world.versions : world.additions);
	let activated = false;
	let windowStart: number | undefined;
	const step = async (pollStep: PollStep): Promise<boolean> => {
		stats.polls++;
		if (pollStep.restart) stats.restarts++;
		const polled = await poll(pollStep, !activated);
		if (!polled) return false;
		if (!activated) {
			expect(polled.keys).toEqual([]);
			ledger.activation = { start: polled.first, end: polled.last };
			activated = true;
			return false;
		}
		ledger.take(polled.keys);
		stats.emitted += polled.keys.length;
		if (polled.lost) {
			stats.lost++;
			ledger.exemptUntil = polled.last;
			windowStart = undefined;
			return false;
		}
		windowStart ??= polled.first;
		if (!polled.done) {
			stats.cutShort++;
			return false;
		}
		ledger.windowDone(windowStart, polled.last);
		windowStart = undefined;
		return true;
	};
	for (const s of scenario.steps) {
		if (s.kind === 'poll') await step(s);
		else world.apply(s);
	}
	// Then quiet polls until every change has become visible and a window is read to its end:
	// everything made after activation and still there has come out.
	let done = false;
	for (let i = 0; i < 200 && !(done && !world.pending.length); i++) {
		world.apply({ kind: 'tick', ms: 2 * MINUTE });
		done = await step({ kind: 'poll', restart: false, during: [] });
	}
	expect(done).toBe(true);
	expect(world.pending).toEqual([]);
	stats.late += world.late.count;
	stats.maxLateMs = Math.max(stats.maxLateMs, world.late.maxMs);
	stats.runs++;
	stats.windows += ledger.checkedWindows;
	stats.events += ledger.required.size;
	stats.made += [...(event === 'updated' ? world.versions : world.additions).values()].filter(
		(l) => l.made > ledger.activation!.end,
	).length;
}

/** The poll logic itself, fed by the model's pages. */
async function runPure(scenario: Scenario, event: Event, stats: Stats, log = false) {
	const world = new World(
		event === 'added' ? { ...scenario.config, order: 'insertion' } : scenario.config,
	);
	let state: any;
	await play(
		world,
		event,
		scenario,
		async (step, activating) => {
			if (step.restart && state !== undefined) state = JSON.parse(JSON.stringify(state));
			let pages = 0;
			let first = 0;
			let last = 0;
			const fetcher =
				(date?: string): PageFetcher<any> =>
				async (offset, limit) => {
					const index = pages++;
					for (const op of step.during[index - 1] ?? []) world.apply(op);
					if (step.failAtPage === index) throw new ScriptedFailure();
					const page = world.page(date, offset, limit);
					first ||= page.seq;
					last = page.seq;
					return page;
				};
			const outOfTime =
				step.budgetPages === undefined || activating ? undefined : () => pages >= step.budgetPages!;
			const anchorsBefore: string[] = state?.position?.anchors ?? [];
			let lost = false;
			try {
				if (event === 'updated') {
					const options = {
						pageSize: scenario.pageSize,
						now: new Date(world.t),
						lateMs: world.config.lateMs,
						outOfTime,
						prepare: scenario.prepare ? async (r: any) => r : undefined,
					};
					const result = await pollMonitoringUpdated(fetcher, state, options);
					state = result.state;
					if (log)
						process.stderr.write(
							`poll: emitted ${result.emit.map(versionKey).join(' ')}; state ${JSON.stringify(state)}\n`,
						);
					return { keys: result.emit.map(versionKey), done: !result.state.drain, first, last };
				}
				const result = await pollAdded(fetcher(), state, {
					pageSize: scenario.pageSize,
					outOfTime,
					onLost: () => {
						lost = true;
						// Only when truly none of the records read last is left.
						expect(anchorsBefore.filter((id) => world.records.some((r) => r.id === id))).toEqual(
							[],
						);
					},
				});
				state = result.state;
				if (log)
					process.stderr.write(
						`poll: emitted ${result.emit.map((r) => r.id).join(' ')}; state ${JSON.stringify(state)}\n`,
					);
				return { keys: result.emit.map((r) => r.id), done: result.done, lost, first, last };
			} catch (error) {
				if (error instanceof ScriptedFailure) stats.failed++;
				else if (error instanceof ListKeptShiftingError) stats.keptShifting++;
				else throw error;
				return undefined;
			}
		},
		stats,
	);
}

function report(name: string, stats: Stats) {
	process.stderr.write(
		`${name}: seed ${SEED}, ${stats.runs} runs, ${stats.made} changes made after activation, ${stats.events} of them checked to come out exactly once, ` +
			`${stats.late} became visible more than a minute after their stamp (the latest ${Math.round(stats.maxLateMs / 1000)} s after), ` +
			`${stats.emitted} emitted, ${stats.windows} windows checked, ${stats.polls} polls (${stats.failed} failed on a page, ` +
			`${stats.keptShifting} found the list shifting too fast, ${stats.cutShort} out of time, ${stats.restarts} after a restart, ${stats.lost} lost all anchors)\n`,
	);
}

// TRIGGER_MODEL_REPLAY=<counterexample JSON printed by fast-check> replays one scenario with a log of its polls.
const replay = process.env.TRIGGER_MODEL_REPLAY;
(replay ? test : test.skip)('replay', async () => {
	// fast-check prints absent fields as `"name":undefined`, which JSON has no word for.
	const [scenario] = JSON.parse(
		replay!.replace(/"\w+":undefined,?/g, '').replace(/,([}\]])/g, '$1'),
	) as [Scenario];
	const event: Event = process.env.TRIGGER_MODEL_EVENT === 'added' ? 'added' : 'updated';
	await runPure(scenario, event, newStats(), true);
});

describe('model: the poll logic against an adversarial in-memory Identomat', () => {
	test.each(['updated', 'added'] as const)('%s: every change exactly once', async (event) => {
		const stats = newStats();
		await fc.assert(
			fc.asyncProperty(scenarioArb({ steps: 100, added: event === 'added' }), async (scenario) => {
				await runPure(scenario, event, stats);
			}),
			{ seed: SEED, numRuns: RUNS },
		);
		report(`model ${event}`, stats);
		expect(stats.events).toBeGreaterThanOrEqual(10_000);
		expect(stats.failed).toBeGreaterThan(0);
		expect(stats.cutShort).toBeGreaterThan(0);
		expect(stats.restarts).toBeGreaterThan(0);
		if (event === 'updated') {
			expect(stats.late).toBeGreaterThan(1000);
			expect(stats.maxLateMs).toBeGreaterThan(39 * MINUTE);
		}
	});
});

describe('model: the real node through PollContext and the sandbox', () => {
	const sandboxes = { gt: sandboxForFile({ monitoringDateFilter: 'gt' }), gte: sandboxForFile({ monitoringDateFilter: 'gte' }) };

	/** The sandbox's list mirrors the world after every change. */
	function mirror(world: World, sb: Sandbox, event: Event) {
		world.onChange = () => {
			sb.listing.clockOffsetMs = world.identomatNow - Date.now();
			const list = event === 'updated' ? sb.state.monitoring : sb.state.blacklist;
			list.length = 0;
			for (const r of world.records) {
				if (event === 'updated')
					list.push({
						id: r.id,
						fullName: `Model ${r.id}`,
						key: r.id,
						...(r.stamp === undefined ? {} : { lastUpdatedDate: new Date(r.stamp).toISOString() }),
					});
				else
					list.push({
						id: r.id,
						firstName: 'Model',
						lastName: r.id,
						documentNumber: null,
						personalNumber: null,
						birthday: null,
						notes: null,
						reason: 'model',
					});
			}
		};
	}

	async function runThroughNode(scenario: Scenario, event: Event, stats: Stats) {
		const sb = sandboxes[scenario.config.filter];
		sb.reset();
		const world = new World({
			...scenario.config,
			dateHeader: true,
			order: event === 'added' ? 'insertion' : scenario.config.order,
		});
		world.t = Date.now();
		sb.listing.order = world.config.order;
		sb.listing.maxPage = scenario.pageSize; // Identomat capping pages, so polls read several
		mirror(world, sb, event);
		world.onChange();
		const path =
			event === 'updated' ? 'list-screening-monitoring-records' : 'list-blacklist-records';
		const budget = scenario.steps.some((s) => s.kind === 'poll' && s.budgetPages !== undefined);
		if (budget) sb.setLatency(2); // with a 1 ms budget every poll stops after its first page
		const trig = new PollingTrigger({
			nodeType: new IdentomatTrigger(),
			typeName: 'n8n-nodes-identomat.identomatTrigger',
			parameters: {
				event: event === 'updated' ? 'screeningMonitoringUpdated' : 'blacklistRecordAdded',
				options: event === 'updated' ? { lateChangeMinutes: world.config.lateMs / MINUTE } : {},
			},
			credentials: {
				apiKey: sb.companyKey,
				widgetBaseUrl: sb.widgetBaseUrl,
				apiBaseUrl: sb.apiBaseUrl,
			},
			pollBudgetMs: budget ? 1 : undefined,
		});
		await play(
			world,
			event,
			scenario,
			async (step) => {
				if (step.restart) trig.restart();
				let pages = 0;
				let first = 0;
				let last = 0;
				let reachedEnd = false;
				const failNext = () => sb.faults.add({ host: 'api', path, kind: 'status', status: 500 });
				if (step.failAtPage === 0) failNext();
				sb.listing.beforePage = (_path: string, fields: IDataObject) => {
					if (world.showDue()) world.onChange?.();
					const index = pages++;
					for (const op of step.during[index - 1] ?? []) world.apply(op);
					if (step.failAtPage === index + 1) failNext();
					const seq = world.tick();
					first ||= seq;
					last = seq;
					const query = (fields.query ?? {}) as IDataObject;
					const offset = Number(fields.start ?? query.offset ?? 0);
					const limit = Math.min(Number(fields.limit ?? query.limit ?? 0), sb.listing.maxPage);
					const total =
						event === 'updated'
							? world.list(fields.date as string | undefined).length
							: world.records.length;
					reachedEnd = offset + limit >= total;
				};
				const stateOf = () =>
					(trig.saved()['node:Identomat Trigger'] as IDataObject | undefined)?.state;
				const before = stateOf();
				try {
					const out = (await trig.poll()) ?? [];
					const state = trig.nodeStaticData().state as IDataObject;
					const done = event === 'updated' ? !state.drain : reachedEnd;
					return {
						keys: out.map((r) => (event === 'updated' ? versionKey(r) : String(r.id))),
						done,
						first,
						last,
					};
				} catch (error) {
					expect(stateOf()).toEqual(before); // a failed poll leaves the state as it was
					const message = String((error as Error).message);
					if (/kept changing/.test(message)) stats.keptShifting++;
					else if (/500/.test(message)) stats.failed++;
					else throw error;
					return undefined;
				} finally {
					delete sb.listing.beforePage;
					sb.faults.clear();
				}
			},
			stats,
		);
		sb.setLatency(0);
	}

	test.each(['updated', 'added'] as const)('%s: every change exactly once', async (event) => {
		const stats = newStats();
		await fc.assert(
			fc.asyncProperty(
				scenarioArb({ steps: 60, dateHeader: [true], added: event === 'added' }),
				async (scenario) => {
					await runThroughNode(scenario, event, stats);
				},
			),
			{ seed: SEED, numRuns: NODE_RUNS },
		);
		report(`real node ${event}`, stats);
		expect(stats.events).toBeGreaterThan(0);
		expect(stats.failed).toBeGreaterThan(0);
	});
});
