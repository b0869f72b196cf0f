/** Blacklist records: add, remove, list (offset/limit inside `query`, also accepted top level). */
import { json, argumentError, objectId, str, isObject, optionalCount, optionalDate } from './util.ts';
import { withClock } from './screening.ts';
import type { BlacklistRecord, Route, RouteContext } from './types.ts';

const IDENTITY = ['firstName', 'lastName', 'personalNumber', 'documentNumber', 'birthday'] as const;

function identityKey(r: BlacklistRecord) {
	return IDENTITY.map((k) => String(r[k] ?? '').trim().toLowerCase()).join('|');
}

function add(ctx: RouteContext) {
	const q = ctx.fields.query;
	if (!isObject(q) || !str(q.reason)) return argumentError('wrong-parameters');
	for (const k of [...IDENTITY, 'notes']) {
		if (q[k] !== undefined && q[k] !== null && typeof q[k] !== 'string') return argumentError('wrong-parameters');
	}
	if (!IDENTITY.some((k) => str(q[k]))) return argumentError('wrong-parameters');
	let birthday = null;
	if (str(q.birthday)) {
		const d = optionalDate(q.birthday);
		if (!d) return argumentError('wrong-parameters');
		birthday = d.toISOString();
	}
	const rec: BlacklistRecord = {
		firstName: str(q.firstName) ?? null,
		lastName: str(q.lastName) ?? null,
		documentNumber: str(q.documentNumber) ?? null,
		personalNumber: str(q.personalNumber) ?? null,
		birthday,
		notes: str(q.notes) ?? null,
		reason: String(q.reason),
		id: objectId(),
	};
	const list = ctx.sb.state.blacklist;
	const key = identityKey(rec);
	if (list.some((r: BlacklistRecord) => identityKey(r) === key)) return argumentError('already-exists');
	list.push(rec);
	return json({ result: rec.id });
}

/** Lists records; `query` may also filter by firstName, lastName, personalNumber, documentNumber (case-insensitive equality). */
function list(ctx: RouteContext) {
	const q = ctx.fields.query ?? {};
	if (!isObject(q)) return argumentError('wrong-parameters');
	const offset = optionalCount(q.offset ?? ctx.fields.offset, 0);
	const asked = optionalCount(q.limit ?? ctx.fields.limit, 100);
	if (Number.isNaN(offset) || Number.isNaN(asked)) return argumentError('wrong-parameters');
	const listing = ctx.sb.listing;
	listing.beforePage?.('list-blacklist-records', ctx.fields);
	const limit = listing.maxPage === undefined ? asked : Math.min(asked, listing.maxPage);
	const filters = IDENTITY.filter((k) => k !== 'birthday' && str(q[k])).map((k) => [k, String(q[k]).trim().toLowerCase()] as const);
	let records: BlacklistRecord[] = ctx.sb.state.blacklist;
	if (filters.length) records = records.filter((r) => filters.every(([k, v]) => String(r[k] ?? '').toLowerCase() === v));
	return withClock(listing, json({ result: { offset, limit, total: records.length, data: records.slice(offset, offset + limit).map((r) => ({ ...r })) } }));
}

const routes: Route[] = [
	{ host: 'api', path: 'add-blacklist-record', handler: add },
	{
		host: 'api',
		path: 'remove-blacklist-record',
		handler(ctx: RouteContext) {
			const id = str(ctx.fields.id);
			if (!id) return argumentError('wrong-parameters');
			const records = ctx.sb.state.blacklist;
			const i = records.findIndex((r: BlacklistRecord) => r.id === id);
			if (i < 0) return argumentError('not-found');
			records.splice(i, 1);
			return json({ result: true });
		},
	},
	{ host: 'api', path: 'list-blacklist-records', handler: list },
];

export { routes };
