/**
 * Screening (API host, JSON): Search with Return All / Limit over several pages, Get Person, Add to
 * and Remove From Monitoring, Get Many Monitored (start/limit paging, Updated After); the pagination
 * helper's stop rules; and the messages a person reads when an input or an ID is wrong.
 */
import type { IDataObject } from 'n8n-workflow';

import { collectPages, MAX_PAGES, type Page } from '../../nodes/shared/api/pagination';
import {
	failureOf,
	identomatRequests,
	type OperationArgs,
	type OperationRun,
	receivedOnApiHost,
	runOperation,
	sandboxForFile,
} from '../helpers/sandbox';

const sb = sandboxForFile();

const screening = (...args: OperationArgs) => runOperation(sb, 'screening', ...args);

const received = (path: string) => receivedOnApiHost(sb, path);

describe('Screening → Search', () => {
	const search = (parameters: IDataObject, extra?: OperationRun) =>
		screening('search', { fullName: 'John Smith', scoreThreshold: 50, ...parameters }, extra);
	/** The matches of the one item a person searched gives. */
	const matchesOf = async (parameters: IDataObject) => {
		const [[item, ...rest]] = await search(parameters);
		expect(rest).toEqual([]);
		return item.json.matches as IDataObject[];
	};

	it('gives one item per person searched: the search, the match count and the matches', async () => {
		const [output] = await search({ returnAll: false, limit: 3 });
		expect(output).toEqual([
			{
				json: {
					search: { fullName: 'John Smith', scoreThreshold: 50 },
					matchCount: 3,
					matches: [expect.objectContaining({ score: 100 }), expect.any(Object), expect.any(Object)],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('gives one item with no matches when nobody matches, so the workflow goes on', async () => {
		const [output] = await search({ fullName: 'Zzyzx Qwertyuiop', scoreThreshold: 80, returnAll: true });
		expect(output).toEqual([
			{
				json: { search: { fullName: 'Zzyzx Qwertyuiop', scoreThreshold: 80 }, matchCount: 0, matches: [] },
				pairedItem: { item: 0 },
			},
		]);
		expect(received('search-screening-person')).toHaveLength(1);
	});

	it.each([['an object', '{"result":{"matches":3}}'], ['a text', '{"result":"busy"}']])(
		'an answer that is %s, not a list of matches, stops with a message: it is never read as "no matches"',
		async (_, body) => {
			sb.faults.add({ host: 'api', path: 'search-screening-person', kind: 'body', body, type: 'application/json' });
			const failure = await failureOf(search({ returnAll: true }));
			expect(failure.message).toMatch(/^Screening → Search/);
			expect(failure.message).not.toContain('busy');
		},
	);

	it('with Split Matches, gives one item per match (none when nobody matches)', async () => {
		const matches = await matchesOf({ returnAll: false, limit: 5 });
		const [output] = await search({ returnAll: false, limit: 5, splitMatches: true });
		expect(output.map((i) => i.json)).toEqual(matches);
		expect(output.every((i) => (i.pairedItem as { item: number }).item === 0)).toBe(true);

		const [none] = await search({ fullName: 'Zzyzx Qwertyuiop', scoreThreshold: 80, splitMatches: true });
		expect(none).toEqual([]);
	});

	it('returns every match over several pages with Return All (offset/limit at top level)', async () => {
		const matches = await matchesOf({ returnAll: true });

		const calls = received('search-screening-person');
		expect(calls.map((c) => [c.fields.offset, c.fields.limit])).toEqual([
			[0, 100],
			[100, 100],
			[200, 100],
		]);
		for (const call of calls) {
			expect(call.fields.query).toEqual({ fullName: 'John Smith', scoreThreshold: 50 });
		}
		expect(matches.length).toBeGreaterThan(250);
		expect(matches.length).toBeLessThan(300); // the third page was short: no fourth request
		expect(new Set(matches.map((m) => m.personId)).size).toBe(matches.length);
		const scores = matches.map((m) => m.score as number);
		expect(scores).toEqual([...scores].sort((a, b) => b - a));
		expect(Math.min(...scores)).toBeGreaterThanOrEqual(50);
		expect(matches[0]).toEqual({
			score: 100,
			name: expect.any(String),
			personId: expect.stringMatching(/^[0-9a-f]{24}$/),
			entityType: 'person',
			topics: expect.any(Array),
		});
	});

	it('asks only for what Limit needs: 150 → two requests (100 + 50)', async () => {
		const all = await matchesOf({ returnAll: true });
		sb.clearRequests();

		const matches = await matchesOf({ returnAll: false, limit: 150 });

		expect(received('search-screening-person').map((c) => [c.fields.offset, c.fields.limit])).toEqual([
			[0, 100],
			[100, 50],
		]);
		expect(matches).toEqual(all.slice(0, 150));
	});

	it('uses one request for the default Limit of 50', async () => {
		const matches = await matchesOf({ returnAll: false, limit: 50 });
		expect(received('search-screening-person').map((c) => [c.fields.offset, c.fields.limit])).toEqual([[0, 50]]);
		expect(matches).toHaveLength(50);
	});

	it('sends Birthday From as ISO 8601 under query.birthdayTimeFrom, and fewer people match', async () => {
		const all = await matchesOf({ returnAll: true });
		sb.clearRequests();

		const [[item]] = await search({ returnAll: true, options: { birthdayFrom: '1980-01-01' } });

		const [first] = received('search-screening-person');
		const query = { fullName: 'John Smith', scoreThreshold: 50, birthdayTimeFrom: '1980-01-01T00:00:00.000Z' };
		expect(first.fields.query).toEqual(query);
		expect(item.json.search).toEqual(query);
		expect(item.json.matchCount).toBeGreaterThan(0);
		expect(item.json.matchCount).toBeLessThan(all.length);
	});

	it('rejects a score threshold outside 0–100 before calling Identomat, naming parameter and item', async () => {
		await expect(search({ scoreThreshold: 150 })).rejects.toThrow(
			'"Score Threshold" in item 1 must be a number from 0 to 100',
		);
		await expect(search({ scoreThreshold: -1 })).rejects.toThrow('"Score Threshold" in item 1');
		await expect(search({ scoreThreshold: '={{ "high" }}' })).rejects.toThrow('"Score Threshold" in item 1');
		expect(identomatRequests(sb)).toHaveLength(0);
	});

	it('rejects an empty full name and an unreadable birthday', async () => {
		await expect(search({ fullName: '  ' })).rejects.toThrow('"Full Name" is empty in item 1');
		await expect(search({ options: { birthdayFrom: 'yesterday-ish' } })).rejects.toThrow(
			'"Birthday From" in item 1 is not a date',
		);
		await expect(search({ limit: 0 })).rejects.toThrow('"Limit" in item 1 must be a whole number of at least 1');
		expect(identomatRequests(sb)).toHaveLength(0);
	});

	it('with Continue On Fail, a bad item becomes an error item paired to it while the others run', async () => {
		const [output] = await search(
			{ scoreThreshold: '={{ $json.threshold }}', fullName: '={{ $json.name }}', returnAll: false, limit: 3 },
			{ items: [{ name: 'John Smith', threshold: 90 }, { name: 'John Smith', threshold: 150 }, { name: 'Maria Elena Gonzalez', threshold: 90 }], continueOnFail: true },
		);

		expect(output.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(output[1].json.error).toBe('"Score Threshold" in item 2 must be a number from 0 to 100');
		expect(output[0].json.matchCount).toBe(3);
		expect((output[2].json.matches as IDataObject[]).map((m) => m.name)).toContain('Maria Elena Gonzalez');
		expect(received('search-screening-person')).toHaveLength(2);
	});

	it('explains a company key without screening access', async () => {
		await expect(
			screening('search', { fullName: 'John Smith', scoreThreshold: 80 }, { credentials: { apiKey: 'not-the-key' } }),
		).rejects.toThrow('Screening → Search: Identomat did not accept the company key');
	});
});

describe('Screening → Get Person', () => {
	it('returns the profile with its ID', async () => {
		const [[item]] = await screening('getPerson', { personId: '67137933a2176f0797f1e657' });

		expect(received('get-screening-person-details').map((c) => c.fields.personId)).toEqual(['67137933a2176f0797f1e657']);
		expect(item.json).toMatchObject({
			personId: '67137933a2176f0797f1e657',
			entityType: 'person',
			birthdayTime: '1952-10-07',
		});
		const groups = (item.json.extraDetails as IDataObject[]).map((g) => g.groupName);
		expect(groups).toEqual(expect.arrayContaining(['Profile', 'Sanctions']));
	});

	it('says so when Identomat knows no such person', async () => {
		await expect(screening('getPerson', { personId: '000000000000000000000000' })).rejects.toThrow(
			'Screening → Get Person: Identomat found nothing with this ID',
		);
		await expect(screening('getPerson', { personId: '' })).rejects.toThrow('"Person ID" is empty in item 1');
	});
});

describe('Screening → Add to / Remove From Monitoring', () => {
	it('adds a person with {query: {fullName, birthdayTimeFrom}} and returns {monitoringId}', async () => {
		const [[item]] = await screening('addToMonitoring', { fullName: 'Jane Roe', options: { birthdayFrom: '1982-12-12' } });

		const [call] = received('monitor-screening-query');
		expect(call.fields.query).toEqual({ fullName: 'Jane Roe', birthdayTimeFrom: '1982-12-12T00:00:00.000Z' });
		expect(Object.keys(call.fields).sort()).toEqual(['companyKey', 'query']);
		expect(item.json).toEqual({ monitoringId: expect.stringMatching(/^[0-9a-f]{24}$/), alreadyMonitored: false });
		expect(sb.state.monitoring.map((r: IDataObject) => r.id)).toContain(item.json.monitoringId);
	});

	it('adds without a birthday when none is given', async () => {
		await screening('addToMonitoring', { fullName: 'Jane Roe', options: {} });
		expect(received('monitor-screening-query')[0].fields.query).toEqual({ fullName: 'Jane Roe' });
	});

	it('reports a person already on monitoring on the item and goes on with the next', async () => {
		const [output] = await screening(
			'addToMonitoring',
			{ fullName: '={{ $json.name }}' },
			{ items: [{ name: 'New Person' }, { name: 'john smith2' }, { name: 'Other Person' }] },
		);
		expect(output).toEqual([
			{ json: { monitoringId: expect.any(String), alreadyMonitored: false }, pairedItem: { item: 0 } },
			{ json: { alreadyMonitored: true }, pairedItem: { item: 1 } },
			{ json: { monitoringId: expect.any(String), alreadyMonitored: false }, pairedItem: { item: 2 } },
		]);
		expect(received('monitor-screening-query')).toHaveLength(3);
	});

	it('with Stop If Already Monitored, stops as before; Continue On Fail keeps the code', async () => {
		const stop = { options: { stopIfAlreadyThere: true } };
		await expect(screening('addToMonitoring', { fullName: 'John Smith1', ...stop })).rejects.toThrow(
			'Screening → Add to Monitoring: This record already exists in Identomat',
		);

		const [output] = await screening(
			'addToMonitoring',
			{ fullName: '={{ $json.name }}', ...stop },
			{ items: [{ name: 'New Person' }, { name: 'john smith2' }], continueOnFail: true },
		);
		expect(output[0]).toEqual({ json: { monitoringId: expect.any(String), alreadyMonitored: false }, pairedItem: { item: 0 } });
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[1].json).toMatchObject({ code: 'already-exists', error: expect.stringContaining('already exists') });
		expect(output[1].json.description).toContain('Get Many');
	});

	it('other refusals of an add still stop the item', async () => {
		await expect(
			screening('addToMonitoring', { fullName: 'Jane Roe' }, { credentials: { apiKey: 'not-the-key' } }),
		).rejects.toThrow('Screening → Add to Monitoring: Identomat did not accept the company key');
	});

	it('removes a monitored person and returns {deleted: true}', async () => {
		const [[item]] = await screening('removeFromMonitoring', { monitoringId: '64ad3b14090678e34512eab8' });

		expect(received('remove-screening-query-from-monitoring').map((c) => c.fields.id)).toEqual(['64ad3b14090678e34512eab8']);
		expect(item.json).toEqual({ deleted: true, monitoringId: '64ad3b14090678e34512eab8' });
		expect(sb.state.monitoring.map((r: IDataObject) => r.id)).not.toContain('64ad3b14090678e34512eab8');
	});

	it('says so when the monitoring ID is unknown', async () => {
		await expect(screening('removeFromMonitoring', { monitoringId: '64ad3b14090678e34512ffff' })).rejects.toThrow(
			'Screening → Remove From Monitoring: Identomat found nothing with this ID',
		);
	});
});

describe('Screening → Get Many Monitored', () => {
	it('pages with start/limit until total with Return All (no extra request)', async () => {
		sb.monitoring.seed(250); // 254 with the four seeded records

		const [output] = await screening('getManyMonitored', { returnAll: true, filters: {} });

		const calls = received('list-screening-monitoring-records');
		// Each page after the first reads the last 10 records again, to check nothing shifted.
		expect(calls.map((c) => [c.fields.start, c.fields.limit])).toEqual([
			[0, 100],
			[90, 110],
			[190, 110],
		]);
		expect(calls.every((c) => !('date' in c.fields) && !('offset' in c.fields))).toBe(true);
		expect(output).toHaveLength(254);
		expect(output[0].json).toEqual({ fullName: 'John Smith1', id: '64ad3b14090678e34512eab8' });
		expect(new Set(output.map((i) => i.json.id)).size).toBe(254);
	});

	it('stops at total even when the last page is full', async () => {
		sb.monitoring.seed(196); // exactly 200

		const [output] = await screening('getManyMonitored', { returnAll: true });

		expect(output).toHaveLength(200);
		expect(received('list-screening-monitoring-records')).toHaveLength(2);
	});

	it('asks only for what Limit needs: 120 → 100 + 20 (and the 10 read again)', async () => {
		sb.monitoring.seed(250);

		const [output] = await screening('getManyMonitored', { returnAll: false, limit: 120 });

		expect(received('list-screening-monitoring-records').map((c) => [c.fields.start, c.fields.limit])).toEqual([
			[0, 100],
			[90, 30],
		]);
		expect(output).toHaveLength(120);
	});

	it('filters with Updated After, sent as `date` in ISO 8601', async () => {
		const [a, b] = sb.monitoring.seed(3);
		sb.monitoring.touch([a, b], new Date('2024-03-01T10:00:00Z'));

		const [output] = await screening('getManyMonitored', { returnAll: true, filters: { updatedAfter: '2024-01-01T00:00:00Z' } });

		expect(received('list-screening-monitoring-records')[0].fields.date).toBe('2024-01-01T00:00:00.000Z');
		expect(output.map((i) => i.json.id)).toEqual([a, b]);
		expect(output[0].json.lastUpdatedDate).toBe('2024-03-01T10:00:00.000Z');
	});

	it('rejects an unreadable Updated After before calling Identomat', async () => {
		await expect(screening('getManyMonitored', { returnAll: true, filters: { updatedAfter: 'last week' } })).rejects.toThrow(
			'"Updated After" in item 1 is not a date',
		);
		expect(identomatRequests(sb)).toHaveLength(0);
	});
});

describe('pagination helper (collectPages)', () => {
	/** A fake endpoint over `n` records; `options` bends it the ways real APIs misbehave. */
	function endpoint(n: number, options: { total?: boolean; cap?: number; ignoreOffset?: boolean } = {}) {
		const calls: Array<[number, number]> = [];
		const fetch = async (offset: number, limit: number): Promise<Page<number>> => {
			calls.push([offset, limit]);
			const size = Math.min(limit, options.cap ?? limit);
			const from = options.ignoreOffset ? 0 : offset;
			const records = Array.from({ length: Math.max(0, Math.min(size, n - from)) }, (_, i) => from + i);
			return { records, total: options.total ? n : undefined, limit: options.cap ? size : undefined };
		};
		return { calls, fetch };
	}

	it('stops on a short page when no total is given', async () => {
		const api = endpoint(250);
		expect(await collectPages(api.fetch, Infinity)).toHaveLength(250);
		expect(api.calls).toEqual([
			[0, 100],
			[100, 100],
			[200, 100],
		]);
	});

	it('stops on an empty page after full ones', async () => {
		const api = endpoint(200);
		expect(await collectPages(api.fetch, Infinity)).toHaveLength(200);
		expect(api.calls).toHaveLength(3);
	});

	it('keeps going past short pages while the total says more exist (an API capping the page size)', async () => {
		const api = endpoint(130, { total: true, cap: 40 });
		const records = await collectPages(api.fetch, Infinity);
		expect(records).toEqual(Array.from({ length: 130 }, (_, i) => i));
		expect(api.calls.map(([offset]) => offset)).toEqual([0, 40, 80, 120]);
	});

	it('stops when the API ignores the offset and repeats the same page', async () => {
		const api = endpoint(1000, { ignoreOffset: true });
		const records = await collectPages(api.fetch, Infinity);
		expect(records).toHaveLength(100);
		expect(api.calls).toHaveLength(2);
	});

	it('never loops forever on an endless API', async () => {
		const api = endpoint(Number.MAX_SAFE_INTEGER);
		const records = await collectPages(api.fetch, Infinity);
		expect(api.calls).toHaveLength(MAX_PAGES);
		expect(records).toHaveLength(MAX_PAGES * 100);
	});

	it('never returns more than the limit, even when a page is larger than asked', async () => {
		const fetch = async (): Promise<Page<number>> => ({ records: Array.from({ length: 500 }, (_, i) => i) });
		expect(await collectPages(fetch, 7)).toHaveLength(7);
	});
});
