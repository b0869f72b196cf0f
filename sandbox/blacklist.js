// @ts-check
'use strict';
/** Blacklist records: add, remove, list (offset/limit inside `query`, also accepted top level). */
const { json, argumentError, objectId, str, isObject, optionalCount, optionalDate } = require('./util');
const { listing, withClock } = require('./screening');

const IDENTITY = /** @type {const} */ (['firstName', 'lastName', 'personalNumber', 'documentNumber', 'birthday']);

/**
 * @typedef {{ firstName: string|null, lastName: string|null, documentNumber: string|null, personalNumber: string|null,
 *   birthday: string|null, notes: string|null, reason: string, id: string }} BlacklistRecord
 */

/** @param {BlacklistRecord|Record<string, unknown>} r */
function identityKey(r) {
	return IDENTITY.map((k) => String(r[k] ?? '').trim().toLowerCase()).join('|');
}

/** @param {any} ctx */
function add(ctx) {
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
	/** @type {BlacklistRecord} */
	const rec = {
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
	if (list.some((/** @type {BlacklistRecord} */ r) => identityKey(r) === key)) return argumentError('already-exists');
	list.push(rec);
	return json({ result: rec.id });
}

/** Lists records; `query` may also filter by firstName, lastName, personalNumber, documentNumber (case-insensitive equality). @param {any} ctx */
function list(ctx) {
	const q = ctx.fields.query ?? {};
	if (!isObject(q)) return argumentError('wrong-parameters');
	const offset = optionalCount(q.offset ?? ctx.fields.offset, 0);
	const asked = optionalCount(q.limit ?? ctx.fields.limit, 100);
	if (Number.isNaN(offset) || Number.isNaN(asked)) return argumentError('wrong-parameters');
	listing.beforePage?.('list-blacklist-records', ctx.fields);
	const limit = listing.maxPage === undefined ? asked : Math.min(asked, listing.maxPage);
	const filters = IDENTITY.filter((k) => k !== 'birthday' && str(q[k])).map((k) => [k, String(q[k]).trim().toLowerCase()]);
	/** @type {BlacklistRecord[]} */
	let records = ctx.sb.state.blacklist;
	if (filters.length) records = records.filter((r) => filters.every(([k, v]) => String(/** @type {any} */ (r)[k] ?? '').toLowerCase() === v));
	return withClock(json({ result: { offset, limit, total: records.length, data: records.slice(offset, offset + limit).map((r) => ({ ...r })) } }));
}

const routes = [
	{ host: 'api', path: 'add-blacklist-record', handler: add },
	{
		host: 'api',
		path: 'remove-blacklist-record',
		handler(/** @type {any} */ ctx) {
			const id = str(ctx.fields.id);
			if (!id) return argumentError('wrong-parameters');
			const records = ctx.sb.state.blacklist;
			const i = records.findIndex((/** @type {BlacklistRecord} */ r) => r.id === id);
			if (i < 0) return argumentError('not-found');
			records.splice(i, 1);
			return json({ result: true });
		},
	},
	{ host: 'api', path: 'list-blacklist-records', handler: list },
];

module.exports = { routes };
