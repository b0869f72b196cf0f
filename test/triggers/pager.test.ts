/**
 * The pager both nodes share (nodes/shared/api/pagination.ts readList) as the action node's Get Many
 * operations use it: Return All skips nothing when the list shifts between pages, copes with
 * Identomat answering shorter pages than asked, and says so plainly when the list changes faster
 * than it can be read.
 */
import type { IDataObject } from 'n8n-workflow';

import { readList } from '../../nodes/shared/api/pagination';
import { runOperation, sandboxForFile } from '../helpers/sandbox';


const sb = sandboxForFile();

/** Runs `step(n)` before the n-th page (1 = the second) of each list read that follows. */
function betweenPages(step: (page: number) => void) {
	let page = 0;
	sb.listing.beforePage = () => step(page++);
}

async function ids(
	resource: string,
	operation: string,
	parameters: IDataObject = {},
): Promise<string[]> {
	const [items] = await runOperation(sb, resource, operation, { returnAll: true, ...parameters });
	return items.map((item) => item.json.id as string);
}

test('Get Many Monitored (Return All): people removed in front of the position between pages are no reason to skip others', async () => {
	sb.monitoring.seed(246); // 250 with the seeded records
	const before = (sb.state.monitoring as IDataObject[]).map((r) => r.id as string);
	const gone = before.slice(5, 25); // more than the 10 records each page reads again
	betweenPages((page) => {
		if (page === 1) {
			const list = sb.state.monitoring as IDataObject[];
			for (const id of gone)
				list.splice(
					list.findIndex((r) => r.id === id),
					1,
				);
		}
	});
	// Each record once, in order (the removed ones were read on the first page, before they went).
	expect(await ids('screening', 'getManyMonitored')).toEqual(before);
});

test('Blacklist Get Many (Return All): records removed between pages, and pages capped at 30 records', async () => {
	sb.listing.maxPage = 30;
	for (let i = 0; i < 139; i++) {
		sb.state.blacklist.push({
			id: `bl${String(i).padStart(22, '0')}`,
			firstName: 'A',
			lastName: `B${i}`,
			documentNumber: null,
			personalNumber: null,
			birthday: null,
			notes: null,
			reason: 'test',
		});
	}
	const before = (sb.state.blacklist as IDataObject[]).map((r) => r.id as string);
	betweenPages((page) => {
		if (page === 2) sb.state.blacklist.splice(3, 12); // read already: the list shifts back by 12
	});
	expect(await ids('blacklist', 'getMany')).toEqual(before);
});

test('a list that changes faster than it can be read: a message saying what happened and what to do', async () => {
	sb.monitoring.seed(300);
	let round = 0;
	// Before every page, every record is replaced by a new one: no page continues the last.
	sb.listing.beforePage = () => {
		const list = sb.state.monitoring as IDataObject[];
		round++;
		for (const r of list) r.id = `${String(r.id).slice(0, 16)}${String(round).padStart(8, '0')}`;
	};
	const failure = await runOperation(sb, 'screening', 'getManyMonitored', { returnAll: true }).then(
		() => undefined,
		(error: Error & { description?: string }) => error,
	);
	expect(failure?.message).toBe(
		'Screening → Get Many Monitored: the list kept changing while it was read',
	);
	expect(failure?.description).toMatch(/Run it again/);
	expect(`${failure?.message} ${failure?.description}`).not.toMatch(/error|problem|failure/i);
});

test('readList: reads on from a stored position, stepping back a page when more records were removed than it reads again', async () => {
	let list = Array.from({ length: 50 }, (_, i) => `r${i}`);
	const fetch = async (offset: number, limit: number) => ({
		records: list.slice(offset, offset + limit),
		total: list.length,
	});
	const first: string[] = [];
	const stop = await readList(fetch, {
		pageSize: 10,
		key: (r) => r,
		overlap: 3,
		visit: (r) => first.push(r) < 30,
	});
	expect(stop.position).toMatchObject({ offset: 30, anchors: ['r27', 'r28', 'r29'] });
	list = list.filter((r) => Number(r.slice(1)) < 5 || Number(r.slice(1)) > 21); // 17 removed before the position
	const rest: string[] = [];
	const done = await readList(fetch, {
		pageSize: 10,
		key: (r) => r,
		overlap: 3,
		from: stop.position,
		visit: (r) => rest.push(r) > 0,
	});
	expect(done.done).toBe(true);
	expect(rest).toEqual(Array.from({ length: 20 }, (_, i) => `r${30 + i}`));
});

test('readList: out of time just after it started over, it stops past every record it handed out, so the next read hands none out again', async () => {
	let list = Array.from({ length: 40 }, (_, i) => `r${i}`);
	let fetches = 0;
	const fetch = async (offset: number, limit: number) => {
		// The last two records the read has handed out (its anchors) go while it pages.
		if (++fetches === 3) list = list.filter((r) => r !== 'r14' && r !== 'r15');
		return { records: list.slice(offset, offset + limit), total: list.length };
	};
	const options = { pageSize: 3, key: (r: string) => r, overlap: 2 };
	const handed: string[] = [];
	const visit = (r: string) => handed.push(r) > 0;
	const first = await readList(fetch, {
		...options,
		from: { offset: 10, anchors: ['r8', 'r9'] },
		stopAfterPage: () => fetches >= 4,
		visit,
	});
	expect(first.done).toBe(false);
	expect(fetches).toBeGreaterThan(6); // it stepped back to the start and read again from where it began
	await readList(fetch, { ...options, from: first.position, visit });
	expect(handed).toEqual(Array.from({ length: 30 }, (_, i) => `r${10 + i}`));
});
