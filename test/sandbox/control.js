// @ts-check
'use strict';
/** Control endpoints under /__sandbox/ (JSON in and out, no key): drive the sandbox over HTTP. */
const { json } = require('./util');

/** @param {number} status @param {string} message */
const fail = (status, message) => ({ ...json({ error: message }), status, error: true });

/**
 * @param {any} api the public sandbox object (startSandbox's result)
 * @returns {(ctx: any) => Promise<import('./util').Answer>}
 */
function createControl(api) {
	/** @type {Array<[string, RegExp, (ctx: any, m: RegExpMatchArray) => unknown]>} */
	const routes = [
		['POST', /^sessions$/, (ctx) => ({ sessionId: api.createCompletedSession({ ...ctx.fields }) })],
		[
			'POST',
			/^sessions\/([^/]+)\/complete$/,
			(ctx, m) => {
				const { result = 'approved', ...opts } = ctx.fields;
				api.completeSession(decodeURIComponent(m[1]), result, opts);
				return { sessionId: decodeURIComponent(m[1]), result };
			},
		],
		['POST', /^monitoring\/touch$/, (ctx) => ({ touched: api.monitoring.touch(ctx.fields.ids, ctx.fields.date ? new Date(ctx.fields.date) : undefined) })],
		['POST', /^monitoring\/seed$/, (ctx) => ({ ids: api.monitoring.seed(Number(ctx.fields.count) || 0) })],
		['POST', /^monitoring$/, (ctx) => ({ id: api.monitoring.add(ctx.fields.fullName, ctx.fields.birthdayTimeFrom) })],
		['POST', /^faults$/, (ctx) => ({ fault: api.faults.add(ctx.fields) })],
		['GET', /^faults$/, () => ({ faults: api.faults.list })],
		['DELETE', /^faults$/, () => (api.faults.clear(), {})],
		['GET', /^requests$/, () => api.requests],
		['DELETE', /^requests$/, () => (api.clearRequests(), {})],
		['POST', /^latency$/, (ctx) => (api.setLatency(Number(ctx.fields.ms) || 0), {})],
		['POST', /^callbacks$/, (ctx) => api.sendCallback(ctx.fields.url, ctx.fields.body)],
		['POST', /^reset$/, () => (api.reset(), {})],
		[
			'GET',
			/^state$/,
			() => {
				const s = api.state;
				return {
					sessions: s.sessions.size,
					configs: s.configs.size,
					users: s.users.length,
					groups: s.groups.length,
					blacklist: s.blacklist.length,
					monitoring: s.monitoring.length,
					requests: api.requests.length,
					faults: api.faults.list.length,
				};
			},
		],
	];
	return async (ctx) => {
		if (ctx.parseError) return fail(400, 'control endpoints take a JSON object body');
		const matching = routes.filter(([, re]) => re.test(ctx.path));
		const route = matching.find(([method]) => method === ctx.method);
		if (!route) return matching.length ? fail(405, `use ${matching.map(([m]) => m).join(' or ')}`) : fail(404, `no control endpoint ${ctx.path}`);
		try {
			return json(await route[2](ctx, /** @type {RegExpMatchArray} */ (ctx.path.match(route[1]))));
		} catch (err) {
			return fail(400, String(/** @type {any} */ (err)?.message ?? err));
		}
	};
}

module.exports = { createControl };
