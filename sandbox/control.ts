/** Control endpoints under /__sandbox/ (JSON in and out, no key): drive the sandbox over HTTP. */
import type { Answer, FaultSpec, FinishOptions, RouteContext, Sandbox } from './types.ts';
import { json, binary, html, isObject, str } from './util.ts';
import { sampleFiles, materialHtml } from './material.ts';

const FIXTURE_TYPES: Record<string, string> = { jpg: 'image/jpeg', png: 'image/png', webm: 'video/webm', pdf: 'application/pdf' };
const fixtureType = (name: string) => FIXTURE_TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';

/** A string field the caller must give. */
function required(fields: Record<string, unknown>, name: string): string {
	const value = str(fields[name]);
	if (value === undefined) throw new Error(`${name} is required`);
	return value;
}

const fail = (status: number, message: string): Answer => ({ ...json({ error: message }), status, error: true });

/** The control endpoints of a sandbox, working through its public object (startSandbox's answer). */
function createControl(api: Sandbox): (ctx: RouteContext) => Promise<Answer> {
	const routes: Array<[string, RegExp, (ctx: RouteContext, m: RegExpMatchArray) => unknown]> = [
		['POST', /^sessions$/, (ctx) => ({ sessionId: api.createCompletedSession({ ...ctx.fields }) })],
		[
			'POST',
			/^sessions\/([^/]+)\/complete$/,
			(ctx, m) => {
				const { result: asked, ...opts } = ctx.fields;
				const result = str(asked) ?? 'approved';
				api.completeSession(decodeURIComponent(m[1]), result, opts as FinishOptions);
				return { sessionId: decodeURIComponent(m[1]), result };
			},
		],
		[
			'POST',
			/^monitoring\/touch$/,
			(ctx) => {
				const { ids, date } = ctx.fields;
				return { touched: api.monitoring.touch(Array.isArray(ids) ? ids.map(String) : undefined, date ? new Date(String(date)) : undefined) };
			},
		],
		['POST', /^monitoring\/seed$/, (ctx) => ({ ids: api.monitoring.seed(Number(ctx.fields.count) || 0) })],
		['POST', /^monitoring$/, (ctx) => ({ id: api.monitoring.add(required(ctx.fields, 'fullName'), str(ctx.fields.birthdayTimeFrom)) })],
		['POST', /^faults$/, (ctx) => ({ fault: api.faults.add(ctx.fields as FaultSpec) })],
		['GET', /^faults$/, () => ({ faults: api.faults.list })],
		['DELETE', /^faults$/, () => (api.faults.clear(), {})],
		['GET', /^requests$/, () => api.requests],
		['DELETE', /^requests$/, () => (api.clearRequests(), {})],
		['POST', /^latency$/, (ctx) => (api.setLatency(Number(ctx.fields.ms) || 0), {})],
		// Identomat's clock as an offset from this machine's (its Date header), for the trigger's benchmark.
		['POST', /^clock$/, (ctx) => ((api.listing.clockOffsetMs = Number(ctx.fields.offsetMs) || 0), {})],
		['POST', /^callbacks$/, (ctx) => api.sendCallback(required(ctx.fields, 'url'), ctx.fields.body)],
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
			const out = await route[2](ctx, ctx.path.match(route[1]) as RegExpMatchArray);
			// Fixture files and pages are answered as they are; everything else as JSON.
			return isAnswer(out) ? out : json(out);
		} catch (err) {
			return fail(400, err instanceof Error ? err.message : String(err));
		}
	};
}

/** A fixture file or a page, made by binary() or html(). */
function isAnswer(out: unknown): out is Answer {
	return isObject(out) && Buffer.isBuffer(out.body) && typeof out.type === 'string';
}

export { createControl };
