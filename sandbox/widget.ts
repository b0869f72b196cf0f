/**
 * Widget host: begin/, result/, delete/ and the result/<media>/ downloads; plus the simulated
 * person-facing widget page at /?session_token=<id> (Approve / Reject).
 */
import * as sessions from './sessions.ts';
import * as media from './media.ts';
import { materialHtml } from './material.ts';
import type { Answer, Parts, Route, RouteContext, Session, SessionContext } from './types.ts';
import { json, argumentError, bareError, binary, streamed, html, escapeHtml, str, isObject } from './util.ts';

const INVALID = Symbol('invalid');

/**
 * flags/steps arrive as JSON text in forms and query strings, as values in JSON bodies.
 */
function jsonField(v: unknown, kind: 'object' | 'array') {
	if (v === undefined || v === null || v === '') return undefined;
	let value = v;
	if (typeof v === 'string') {
		try {
			value = JSON.parse(v);
		} catch {
			return INVALID;
		}
	}
	if (kind === 'array' ? !Array.isArray(value) : !isObject(value)) return INVALID;
	return value;
}

/** result/<media>/ endpoints: which stored item, and the Content-Type sent (not always exact: clients must sniff). */
const MEDIA: Record<string, { fixture: string; part: keyof Parts; type: string }> = {
	'result/card-front/': { fixture: 'card-front.jpg', part: 'card', type: 'image/jpeg' },
	'result/card-back/': { fixture: 'card-back.jpg', part: 'card', type: 'application/octet-stream' },
	'result/passport/': { fixture: 'passport.jpg', part: 'passport', type: 'image/jpeg' },
	'result/face/': { fixture: 'face.jpg', part: 'face', type: 'image/jpeg' },
	'result/face-document/': { fixture: 'face-document.jpg', part: 'faceDocument', type: 'application/octet-stream' },
};

function mediaRoute(path: string, m: { fixture: string; part: keyof Parts; type: string }): Route {
	return {
		host: 'widget',
		path,
		session: true,
		handler(ctx: SessionContext) {
			const parts = ctx.session.parts;
			if (!parts || !parts[m.part]) return argumentError('not-found');
			return binary(sessions.fixture(m.fixture), m.type);
		},
	};
}

const routes: Route[] = [
	{
		host: 'widget',
		path: 'begin/',
		badKey: () => bareError('COMPANY_KEY_INVALID'),
		handler(ctx: RouteContext) {
			const f = ctx.fields;
			const flags = jsonField(f.flags, 'object');
			const steps = jsonField(f.steps, 'array');
			if (flags === INVALID || steps === INVALID) return argumentError('wrong-parameters');
			let configId = null;
			if (f.config_id !== undefined && f.config_id !== '') {
				configId = str(f.config_id);
				if (!configId || !ctx.sb.state.configs.has(configId)) return argumentError('wrong-parameters');
			}
			let parentSessionId = null;
			if (f.parent_session_id !== undefined && f.parent_session_id !== '') {
				parentSessionId = str(f.parent_session_id);
				if (!parentSessionId || !ctx.sb.state.sessions.has(parentSessionId)) return argumentError('session-not-found');
			}
			const s = sessions.newSession(ctx.sb, {
				flags: isObject(flags) ? flags : undefined,
				steps: Array.isArray(steps) ? steps : undefined,
				configId,
				parentSessionId,
				userAgent: ctx.req.headers['user-agent'] || '',
			});
			return json(s.id);
		},
	},
	{
		host: 'widget',
		path: 'result/',
		session: true,
		handler: (ctx: SessionContext) => json(sessions.resultBody(ctx.session)),
	},
	{
		host: 'widget',
		path: 'delete/',
		session: true,
		handler(ctx: SessionContext) {
			ctx.sb.state.sessions.delete(ctx.session.id);
			return json(true);
		},
	},
	...Object.entries(MEDIA).map(([path, m]) => mediaRoute(path, m)),
	{
		host: 'widget',
		path: 'result/face-video/',
		session: true,
		handler(ctx: SessionContext) {
			if (!ctx.session.parts?.liveness) return argumentError('not-found');
			return streamed(media.videoSource(ctx.sb.options.videoBytes), 'video/webm');
		},
	},
	{
		host: 'widget',
		path: 'result/general-document/',
		session: true,
		handler(ctx: SessionContext) {
			const typeId = str(ctx.fields.typeId);
			if (!typeId || !sessions.GENERAL_DOCUMENT_TYPES.includes(typeId)) return argumentError('wrong-parameters');
			return sessions.generalDocument(ctx.session, typeId) ?? argumentError('not-found');
		},
	},
];

function page(title: string, body: string, status = 200) {
	return html(
		status,
		`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem; color: #1f2937; }
.banner { background: #fef3c7; border: 1px solid #f59e0b; padding: .5rem .75rem; border-radius: .375rem; }
button { font-size: 1rem; padding: .6rem 1.4rem; margin-right: .75rem; border-radius: .375rem; border: 0; cursor: pointer; color: #fff; }
.approve { background: #15803d; } .reject { background: #b91c1c; }
code { background: #f3f4f6; padding: 0 .25rem; }
</style>
</head>
<body>
<p class="banner">This is the <strong>Identomat sandbox</strong>: nothing here is a real identity check.</p>
${body}
</body>
</html>
`,
	);
}

/** The page the person sees. GET shows the buttons; POST (decision=approved|rejected) finishes the session. */
function widgetPage(ctx: RouteContext): Answer {
	const token = str(ctx.query.get('session_token') ?? ctx.fields.session_token);
	if (!token) {
		return page(
			'Identomat sandbox',
			`<h1>Identomat sandbox</h1>
<p>Widget API: <code>${escapeHtml(ctx.sb.widgetBaseUrl)}/</code><br>API: <code>${escapeHtml(ctx.sb.apiBaseUrl)}/</code></p>
<p>Open <code>/?session_token=&lt;session id&gt;</code> to walk through a session.</p>
${materialHtml(ctx.sb.url)}`,
		);
	}
	const s: Session | undefined = ctx.sb.state.sessions.get(token);
	if (!s) return page('Session not found', '<h1>Session not found</h1><p>This verification link is not valid or has expired.</p>', 404);
	const returnUrl = typeof s.flags.return_url === 'string' ? s.flags.return_url : '';
	const done = () => {
		if (returnUrl && /^https?:\/\//i.test(returnUrl)) return { status: 303, type: 'text/plain; charset=utf-8', body: Buffer.from(`See ${returnUrl}`), headers: { Location: returnUrl } };
		return page(
			'Done',
			`<h1>Done</h1><p>Verification finished: <strong id="result">${escapeHtml(s.result)}</strong>. You can close this window.</p>
<script>if (window.parent !== window) window.parent.postMessage('DONE', '*');</script>`,
		);
	};
	if (ctx.method === 'POST') {
		const decision = str(ctx.fields.decision) ?? 'approved';
		if (s.result === 'in_progress') sessions.finishSession(ctx.sb, s, decision, { userAgent: ctx.req.headers['user-agent'] });
		return done();
	}
	if (s.result !== 'in_progress') return done();
	if (!s.activities.some((a) => a.type === 'PAGE_LOADED')) sessions.addActivity(s, 'PAGE_LOADED');
	const action = `?session_token=${encodeURIComponent(s.id)}`;
	return page(
		'Identity verification',
		`<h1>Identity verification</h1>
<p>Session <code>${escapeHtml(s.id)}</code>. A real person would now show a document and take a selfie.</p>
<form method="post" action="${escapeHtml(action)}">
<button class="approve" name="decision" value="approved">Approve</button>
<button class="reject" name="decision" value="rejected">Reject</button>
</form>`,
	);
}

export { routes, widgetPage, jsonField, INVALID };
