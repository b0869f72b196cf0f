// @ts-check
'use strict';
/** Control endpoints under /__sandbox/ (JSON in and out, no key): drive the sandbox over HTTP. */
const { json, binary, html } = require('./util');
const { listing } = require('./screening');
const { sampleFiles, materialHtml } = require('./material');

/** @type {Record<string, string>} */
const FIXTURE_TYPES = { jpg: 'image/jpeg', png: 'image/png', webm: 'video/webm', pdf: 'application/pdf' };
/** @param {string} name */
const fixtureType = (name) => FIXTURE_TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';

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
		// Identomat's clock as an offset from this machine's (its Date header), for the trigger's benchmark.
		['POST', /^clock$/, (ctx) => ((listing.clockOffsetMs = Number(ctx.fields.offsetMs) || 0), {})],
		['POST', /^callbacks$/, (ctx) => api.sendCallback(ctx.fields.url, ctx.fields.body)],
		[
			'GET',
			/^fixtures\/([^/]+)$/,
			(ctx, m) => {
				const name = decodeURIComponent(m[1]);
				const file = api.fixtures[name];
				if (!file) throw new Error(`no fixture ${name}; there are ${Object.keys(api.fixtures).join(', ')}`);
				return binary(file, fixtureType(name));
			},
		],
		[
			'GET',
			/^fixtures\/?$/,
			// A browser gets a page with links; other clients JSON: the names, and each file's URL, path and description.
			(ctx) =>
				/text\/html/.test(String(ctx.req.headers.accept ?? ''))
					? html(200, `<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Identomat sandbox: sample files</title></head>\n<body>\n${materialHtml(api.url)}\n</body>\n</html>\n`)
					: { fixtures: Object.keys(api.fixtures), files: sampleFiles(api.url) },
		],
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
			const out = await route[2](ctx, /** @type {RegExpMatchArray} */ (ctx.path.match(route[1])));
			// Fixture files and pages are answered as they are; everything else as JSON.
			const answer = /** @type {any} */ (out);
			return answer && Buffer.isBuffer(answer.body) && typeof answer.type === 'string' ? answer : json(out);
		} catch (err) {
			return fail(400, String(/** @type {any} */ (err)?.message ?? err));
		}
	};
}

module.exports = { createControl };
