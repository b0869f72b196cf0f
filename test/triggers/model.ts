/**
 * An adversarial in-memory Identomat for the trigger's model-based test (poll.model.test.ts),
 * and the bookkeeping that says what "every change exactly once" means.
 *
 * The world holds one list (monitoring records, or a blacklist) and two clocks: n8n's and
 * Identomat's (n8n's plus a skew). Scripted operations add records, remove any record (also ones
 * read already), and change records: stamped now, earlier (as a batch job stamps its start), up to
 * an hour ahead, or with the stamp of the previous change (shared stamps). Each change becomes
 * visible at its own moment, from at once up to `lateMs` after its stamp (a batch that commits
 * over minutes): until then the list shows the record as it was. A poll step can restart n8n
 * first (its state round-trips through JSON), fail on any page, run out of its budget after some
 * pages, and have operations (and time, changes becoming visible) happen between its page reads.
 *
 * Every change and every page read takes a number on one logical clock (`seq`), so the checks
 * can say what a poll could see: a change made before a window's first read and still there
 * after its last read must have come out by then; a change made before activation never does.
 */
import fc from 'fast-check';

import type { Page } from '../../nodes/shared/api/pagination';

export type Order = 'insertion' | 'updated';
export type Filter = 'gt' | 'gte';

export interface WorldConfig {
	/** The order of a date-filtered list (an undated list is always in insertion order). */
	order: Order;
	/** Whether `date` means "after" or "at or after". */
	filter: Filter;
	/** Identomat's clock minus n8n's. */
	skewMs: number;
	/** Whether answers carry a `Date` header. */
	dateHeader: boolean;
	/** The most records Identomat puts in one page, whatever was asked. */
	cap?: number;
	/** How late after its stamp a change may become visible: the trigger's stated bound. */
	lateMs: number;
}

export type Stamp = 'now' | 'late' | 'future' | 'shared';

export type Op =
	| { kind: 'add'; n: number }
	| { kind: 'remove'; picks: number[] }
	| {
			kind: 'touch';
			picks: number[];
			stamp: Stamp;
			amount: number;
			/** Per pick, when the change becomes visible: 0 at once, 1000 as late as the bound allows. */
			delays?: number[];
	  }
	| { kind: 'tick'; ms: number };

export interface PollStep {
	kind: 'poll';
	/** n8n restarts before this poll: a new context over the saved state. */
	restart: boolean;
	/** The page read that fails (0 = the first), if any. */
	failAtPage?: number;
	/** The poll runs out of its time budget after this many pages, if set. */
	budgetPages?: number;
	/** Operations before the 2nd, 3rd, … page read of this poll. */
	during: Op[][];
}

export type Step = Op | PollStep;

export interface Scenario {
	config: WorldConfig;
	pageSize: number;
	/** Whether each emitted record is "prepared" (the match lookup), checked against the budget. */
	prepare: boolean;
	initial: number;
	steps: Step[];
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

const opArb = (addWeight: number): fc.Arbitrary<Op> =>
	fc.oneof(
		{
			weight: addWeight,
			arbitrary: fc.record({
				kind: fc.constant('add' as const),
				n: fc.integer({ min: 1, max: 8 }),
			}),
		},
		{
			weight: 2,
			arbitrary: fc.record({
				kind: fc.constant('remove' as const),
				picks: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
			}),
		},
		{
			weight: 6,
			arbitrary: fc.record({
				kind: fc.constant('touch' as const),
				picks: fc.array(fc.nat(), { minLength: 1, maxLength: 10 }),
				stamp: fc.constantFrom(
					'now' as const,
					'late' as const,
					'future' as const,
					'shared' as const,
				),
				amount: fc.nat(),
				// Half the changes show at once, the others at any moment up to the bound.
				delays: fc.array(
					fc.oneof(fc.constant(0), fc.constant(1000), fc.integer({ min: 0, max: 1000 })),
					{ maxLength: 10 },
				),
			}),
		},
		{
			weight: 2,
			arbitrary: fc.record({
				kind: fc.constant('tick' as const),
				ms: fc.integer({ min: 0, max: 3 * MINUTE }),
			}),
		},
	);

/** Roughly one poll in four fails, one in four runs out of time. */
const sometimes = (arb: fc.Arbitrary<number>) =>
	fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });

const pollArb = (addWeight: number): fc.Arbitrary<PollStep> =>
	fc.record({
		kind: fc.constant('poll' as const),
		restart: fc.boolean(),
		failAtPage: sometimes(fc.integer({ min: 0, max: 4 })),
		budgetPages: sometimes(fc.integer({ min: 1, max: 3 })),
		during: fc.array(fc.array(opArb(addWeight), { maxLength: 3 }), { maxLength: 4 }),
	});

export function scenarioArb(options: {
	steps: number;
	/** The lists of "added" events: insertion order, more additions, never tiny. */
	added?: boolean;
	dateHeader?: boolean[];
}): fc.Arbitrary<Scenario> {
	const addWeight = options.added ? 8 : 3;
	return fc.record({
		config: fc.record({
			order: options.added
				? fc.constant('insertion' as const)
				: fc.constantFrom('insertion' as const, 'updated' as const),
			filter: fc.constantFrom('gt' as const, 'gte' as const),
			skewMs: fc.integer({ min: -10 * MINUTE, max: 10 * MINUTE }),
			dateHeader: fc.constantFrom(...(options.dateHeader ?? [true, true, false])),
			cap: fc.constantFrom(undefined, undefined, 4, 11),
			// The trigger's default bound mostly, and a user's shorter and longer ones.
			lateMs: fc.constantFrom(15 * MINUTE, 15 * MINUTE, 15 * MINUTE, MINUTE, 40 * MINUTE),
		}),
		pageSize: fc.constantFrom(3, 8, 25, 60),
		prepare: fc.boolean(),
		initial: fc.integer({ min: options.added ? 40 : 0, max: 80 }),
		steps: fc.array(
			fc.oneof(
				{ weight: 2, arbitrary: opArb(addWeight) },
				{ weight: 1, arbitrary: pollArb(addWeight) },
			),
			{
				minLength: 1,
				maxLength: options.steps,
				size: 'max',
			},
		),
	});
}

/** When a change (or an addition) came and went, on the logical clock. */
export interface Life {
	made: number;
	ended?: number;
}

export interface ModelRecord {
	id: string;
	stamp?: number;
	inserted: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class World {
	/** n8n's clock. */
	t = Date.UTC(2026, 0, 1, 12);

	seq = 0;

	records: ModelRecord[] = [];

	/** Every (record, stamp) version that existed, by `id|stamp`. */
	readonly versions = new Map<string, Life>();

	/** Every record added, by ID. */
	readonly additions = new Map<string, Life>();

	/** Every stamp each record ever had: a change always gets a stamp the record never had. */
	private readonly history = new Map<string, Set<number>>();

	private lastStamp?: number;

	private nextId = 0;

	/** Changes that became visible more than a minute after their stamp, and the latest of them. */
	readonly late = { count: 0, maxMs: 0 };

	/** Changes made but not yet visible: each shows once Identomat's clock reaches `visibleAt`. */
	pending: Array<{ id: string; stamp: number; visibleAt: number }> = [];

	/** Called after every change (the sandbox run mirrors the list there). */
	onChange?: () => void;

	constructor(readonly config: WorldConfig) {}

	/** Identomat's clock. */
	get identomatNow() {
		return this.t + this.config.skewMs;
	}

	tick() {
		return ++this.seq;
	}

	apply(op: Op) {
		if (op.kind === 'tick') this.t += op.ms;
		else if (op.kind === 'add') for (let i = 0; i < op.n; i++) this.add();
		else if (op.kind === 'remove') for (const pick of op.picks) this.remove(pick);
		else this.touch(op.picks, op.stamp, op.amount, op.delays ?? []);
		this.showDue();
		this.onChange?.();
	}

	/** The pending changes whose moment has come become visible, in the order they were due. */
	showDue() {
		const due = this.pending
			.filter((p) => p.visibleAt <= this.identomatNow)
			.sort((a, b) => a.visibleAt - b.visibleAt);
		if (!due.length) return false;
		this.pending = this.pending.filter((p) => p.visibleAt > this.identomatNow);
		for (const p of due) this.show(p.id, p.stamp, p.visibleAt);
		return true;
	}

	add() {
		const id = `m${String(this.nextId++).padStart(6, '0')}`;
		this.records.push({ id, inserted: this.nextId });
		this.additions.set(id, { made: this.tick() });
	}

	remove(pick: number) {
		if (!this.records.length) return;
		const [record] = this.records.splice(pick % this.records.length, 1);
		const ended = this.tick();
		this.additions.get(record.id)!.ended = ended;
		if (record.stamp !== undefined)
			this.versions.get(`${record.id}|${record.stamp}`)!.ended = ended;
	}

	touch(picks: number[], kind: Stamp, amount: number, delays: number[] = []) {
		if (!this.records.length) return;
		const now = this.identomatNow;
		const bound = this.config.lateMs;
		let stamp = now;
		// Stamped earlier, as a batch job stamps the time it started (it shows by the bound).
		if (kind === 'late') stamp = now - (amount % bound);
		if (kind === 'future') stamp = now + 1 + (amount % (60 * MINUTE));
		// A shared stamp, as long as a change stamped so could still become visible now.
		if (kind === 'shared' && this.lastStamp !== undefined && this.lastStamp > now - bound)
			stamp = this.lastStamp;
		this.lastStamp = stamp;
		picks.forEach((pick, i) => {
			const record = this.records[pick % this.records.length];
			// Visible from now up to `bound` after the stamp, never later.
			const room = Math.max(0, stamp + bound - now);
			const visibleAt = now + Math.floor((room * ((delays[i] ?? 0) % 1001)) / 1000);
			if (visibleAt <= now) this.show(record.id, stamp, now);
			else this.pending.push({ id: record.id, stamp, visibleAt });
		});
	}

	/**
	 * A change becomes visible: the record in the list takes its stamp (a new version). It shows
	 * at the first operation or page read at or after `visibleAt`: nothing could read the list in
	 * between, so that is the same as showing at `visibleAt`.
	 */
	private show(id: string, stamp: number, visibleAt: number) {
		const record = this.records.find((r) => r.id === id);
		if (!record) return; // removed before its change showed
		const had = this.history.get(id) ?? new Set<number>();
		if (had.has(stamp)) return;
		had.add(stamp);
		this.history.set(id, had);
		const seq = this.tick();
		const lateBy = visibleAt - stamp;
		if (lateBy > MINUTE) this.late.count++;
		this.late.maxMs = Math.max(this.late.maxMs, lateBy);
		if (record.stamp !== undefined) this.versions.get(`${id}|${record.stamp}`)!.ended = seq;
		record.stamp = stamp;
		this.versions.set(`${id}|${stamp}`, { made: seq });
	}

	/** The list as Identomat answers it: with `date`, only records changed after (or at) it. */
	list(date?: string): ModelRecord[] {
		if (date === undefined) return this.records;
		const since = Date.parse(date);
		const changed = this.records.filter(
			(r) =>
				r.stamp !== undefined &&
				(this.config.filter === 'gte' ? r.stamp >= since : r.stamp > since),
		);
		if (this.config.order === 'updated')
			changed.sort((a, b) => a.stamp! - b.stamp! || a.inserted - b.inserted);
		return changed;
	}

	/** One page; its read takes a number on the logical clock. */
	page(
		date: string | undefined,
		offset: number,
		limit: number,
	): Page<{ id: string; lastUpdatedDate?: string }> & { seq: number } {
		if (this.showDue()) this.onChange?.();
		const list = this.list(date);
		const records = list
			.slice(offset, offset + Math.min(limit, this.config.cap ?? limit))
			.map((r) =>
				r.stamp === undefined ? { id: r.id } : { id: r.id, lastUpdatedDate: iso(r.stamp) },
			);
		const serverDate = this.config.dateHeader
			? new Date(Math.floor(this.identomatNow / SECOND) * SECOND)
			: undefined;
		return { records, total: list.length, serverDate, seq: this.tick() };
	}
}

/**
 * What came out, checked as it comes: never twice, only real changes, none from before
 * activation; and after each complete window, everything it must have seen.
 */
export class Ledger {
	readonly emitted = new Set<string>();

	activation?: { start: number; end: number };

	/** Changes made up to here are exempt from completeness (the trigger said it lost its place). */
	exemptUntil = 0;

	checkedWindows = 0;

	/** The changes some window had to bring out (each checked to have come out exactly once). */
	readonly required = new Set<string>();

	constructor(private readonly lives: Map<string, Life>) {}

	take(keys: string[]) {
		for (const key of keys) {
			if (this.emitted.has(key)) throw new Error(`emitted twice: ${key}`);
			const life = this.lives.get(key);
			if (!life) throw new Error(`emitted a change that never existed: ${key}`);
			if (this.activation && life.made < this.activation.start)
				throw new Error(`emitted a change from before activation: ${key}`);
			this.emitted.add(key);
		}
	}

	/** A window read from its first read to its last: what it must have brought out. */
	windowDone(first: number, last: number) {
		this.checkedWindows++;
		const floor = Math.max(this.activation?.end ?? Infinity, this.exemptUntil);
		for (const [key, life] of this.lives) {
			if (life.made <= floor || life.made >= first) continue;
			if (life.ended !== undefined && life.ended <= last) continue;
			if (!this.emitted.has(key))
				throw new Error(`lost: ${key} (made at ${life.made}, window ${first}–${last})`);
			this.required.add(key);
		}
	}
}
