/**
 * The session model (begin → in progress → completed) and the API-host session endpoints:
 * export, activities, statistics, document face photo, visual markers, questionnaire files and
 * the video call (shots, recordings, end).
 */
import * as examples from './examples.ts';
import * as media from './media.ts';
import type { Answer, CompletedSessionOptions, Fault, FinishOptions, Internals, Parts, Route, RouteContext, Session, SessionContext } from './types.ts';
import { json, argumentError, binary, streamed, objectId, sessionToken, str, optionalCount, isObject } from './util.ts';

/** Documented `typeId`s of result/general-document/. */
const GENERAL_DOCUMENT_TYPES = [
	'bank-statement',
	'utility-bill',
	'vehicle-registration-certificate-front',
	'vehicle-registration-certificate-back',
	'drivers-license',
];

/** What a completed session holds unless told otherwise (createCompletedSession options). */
const DEFAULT_PARTS: Parts = {
	card: true,
	passport: true,
	face: true,
	liveness: true,
	faceDocument: true,
	documentFacePhoto: true,
	visualMarkers: true,
	questionFiles: true,
	generalDocuments: ['utility-bill', 'bank-statement'],
	videoCall: true,
	activeVideoCall: false,
};

function addActivity(s: Session, type: string, time: Date = new Date()) {
	s.activities.push({ id: objectId(time), type, time: time.toISOString(), data: [] });
}

/** A new session, as begin/ makes it. */
function newSession(sb: Internals, init: {
		flags?: Record<string, unknown>; steps?: unknown[]; configId?: string | null; parentSessionId?: string | null;
		userAgent?: string; createdAt?: Date;
	}): Session {
	const s: Session = {
		id: sessionToken(),
		createdAt: init.createdAt ?? new Date(),
		completedAt: null,
		result: 'in_progress',
		flags: init.flags ?? {},
		steps: init.steps ?? [],
		configId: init.configId ?? null,
		parentSessionId: init.parentSessionId ?? null,
		userAgent: init.userAgent ?? '',
		remoteAddress: '127.0.0.1',
		similarity: null,
		live: false,
		person: null,
		parts: null,
		videoCall: null,
		activities: [],
	};
	sb.state.sessions.set(s.id, s);
	return s;
}

/** A stable number in [0, 1) from a session id. */
function idFraction(id: string, salt: number) {
	let h = 2166136261 ^ salt;
	for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 16777619);
	return (h >>> 0) / 4294967296;
}

/**
 * Finishes a session with `result` and the media of `opts` (DEFAULT_PARTS unless left out).
 */
function finishSession(sb: Internals, s: Session, result: string, opts: FinishOptions = {}): Session {
	const given = Object.fromEntries(Object.keys(DEFAULT_PARTS).flatMap((k) => (opts[k as keyof Parts] === undefined ? [] : [[k, opts[k as keyof Parts]]])));
	const parts: Parts = { ...DEFAULT_PARTS, ...given };
	if (parts.generalDocuments) parts.generalDocuments = parts.generalDocuments.filter((t) => GENERAL_DOCUMENT_TYPES.includes(t));
	const rejected = result === 'rejected';
	const completedAt = opts.completedAt ?? new Date();
	s.result = result;
	s.completedAt = completedAt;
	s.parts = parts;
	s.similarity = opts.similarity ?? (rejected ? 0.5 + idFraction(s.id, 1) * 0.2 : 0.85 + idFraction(s.id, 1) * 0.14);
	s.live = opts.live ?? !rejected;
	s.person = { ...(rejected ? examples.rejectedPerson : examples.approvedPerson), ...opts.person };
	if (opts.userAgent) s.userAgent = opts.userAgent;
	s.videoCall = parts.videoCall
		? {
				active: !!parts.activeVideoCall,
				shots: [['face-document.jpg', 'card-front.jpg'], ['card-back.jpg']],
				recordings: sb.options.recordingCount,
				recordingBytes: sb.options.recordingBytes,
			}
		: null;
	const t0 = s.createdAt.getTime();
	const at = (ms: number) => new Date(Math.min(t0 + ms, completedAt.getTime()));
	if (!s.activities.some((a) => a.type === 'PAGE_LOADED')) addActivity(s, 'PAGE_LOADED', at(0));
	if (parts.card || parts.passport) addActivity(s, 'DOCUMENT_SCANNED', at(3000));
	if (parts.liveness || parts.face) addActivity(s, 'LIVENESS_COMPLETED', at(8000));
	if (parts.videoCall) {
		addActivity(s, 'VIDEO_CALL_STARTED', at(9000));
		if (!parts.activeVideoCall) addActivity(s, 'VIDEO_CALL_ENDED', completedAt);
	}
	addActivity(s, rejected ? 'SESSION_REJECTED' : result === 'approved' ? 'SESSION_APPROVED' : 'SESSION_FINISHED', completedAt);
	return s;
}

/**
 * A finished session with every media item (createCompletedSession).
 */
function createCompletedSession(sb: Internals, opts: CompletedSessionOptions = {}): Session {
	const completedAt = new Date();
	const s = newSession(sb, {
		flags: opts.flags,
		steps: opts.steps,
		configId: examples.sessionConfig.id,
		userAgent: opts.userAgent ?? 'Mozilla/5.0 (Identomat sandbox)',
		createdAt: new Date(completedAt.getTime() - 12000),
	});
	finishSession(sb, s, opts.result ?? 'approved', { ...opts, completedAt });
	return s;
}

/** Questionnaire answers: from begin/'s user-questionnaire steps when they carry answers. */
function questionnairesOf(s: Session) {
	const fromSteps: Array<{ key: unknown; questions: Array<{ key: unknown; answer: unknown }> }> = [];
	for (const st of s.steps) {
		if (isObject(st) && st.type === 'user-questionnaire' && Array.isArray(st.questions)) {
			const questions = st.questions
				.filter((q: unknown) => isObject(q) && q.key !== undefined && q.answer !== undefined)
				.map((q: Record<string, unknown>) => ({ key: q.key, answer: q.answer }));
			if (questions.length) fromSteps.push({ key: st.key, questions });
		}
	}
	return fromSteps.length ? fromSteps : structuredClone(examples.questionnaires);
}

/** The body of result/ for a session. */
function resultBody(s: Session) {
	if (!s.parts || !s.person) {
		return {
			result: s.result,
			reject_reason: { value: '', description: '' },
			result_comment: '',
			face_images: 0,
			suggested: {},
		};
	}
	const rejected = s.result === 'rejected';
	const p = s.parts;
	const body: Record<string, unknown> = {
		result: s.result,
		similarity: p.face ? s.similarity : null,
		live: s.live,
		document_type: p.card ? 'id' : p.passport ? 'passport' : null,
		generalDocuments: (p.generalDocuments || []).map((typeId) => {
			const page = structuredClone(examples.utilityBillPage);
			page.typeId = typeId;
			return { pages: [page], documentType: typeId.toUpperCase().replace(/-/g, '_'), permanent: null, typeId: typeId.replace(/-/g, '_') };
		}),
		reject_reason: rejected ? { value: 'low_similarity', description: 'Low similarity' } : { value: '', description: '' },
		result_comment: '',
		name: `${s.person.first_name} ${s.person.last_name}`,
	};
	if (rejected) body.errors = ['LOW_SIMILARITY'];
	body.face_images = p.face ? 1 : 0;
	if (p.card) Object.assign(body, structuredClone(rejected ? examples.rejectedCard : examples.approvedCard));
	body.suggested = {};
	body.person = { ...s.person };
	body.questionnaires = questionnairesOf(s);
	body.geolocation = structuredClone(examples.geolocation);
	body.technicalDetails = { remoteAddress: s.remoteAddress, userAgent: s.userAgent, countryCode: 'US' };
	return body;
}

/** Fixture bytes of one stored file name. */
function fixture(name: string) {
	return media.fixtures[name];
}

/** A data URI of a fixture, declared as Identomat declares it, corrupted when a fault asks. */
function fixtureUri(declared: string, name: string, fault: Fault | undefined) {
	return media.dataUri(declared, fixture(name), fault ? ((fault.variant || 'badBase64') as 'badBase64' | 'noComma') : undefined);
}

/** Nested arrays of data URIs (docs/identomat-api.md, erratum 7); a malformedDataUri fault corrupts the first one. */
function nestedUris(groups: string[][], ctx: RouteContext) {
	let fault = ctx.takeFault('malformedDataUri');
	return groups.map((g) =>
		g.map((name) => {
			const uri = fixtureUri('application/x-tar', name, fault);
			fault = undefined;
			return uri;
		}),
	);
}

/** The questionnaire files of a completed session: step → question → fixtures. */
const QUESTION_FILES: Record<string, Record<string, string[]> | undefined> = {
	'user-questionnaire-1': { 'question-1': ['utility-bill.jpg', 'marker.png'], 'question-2': ['face-document.jpg'] },
};
const VISUAL_MARKERS = [['marker.png', 'marker-2.png'], ['document-face.jpg']];

/** The general document of `typeId` as an answer, or null. */
function generalDocument(s: Session, typeId: string): Answer | null {
	if (!s.parts?.generalDocuments || !s.parts.generalDocuments.includes(typeId)) return null;
	if (typeId === 'bank-statement') {
		const pdf = media.makePdf('Bank statement', [
			`Account holder: ${s.person?.first_name} ${s.person?.last_name}`,
			'Address: 123 Main St, Los Angeles, CA 90001',
			'Statement period: 1 Dec 2024 - 31 Dec 2024',
			'Closing balance: USD 1,284.50',
			'IDENTOMAT SANDBOX - NOT A REAL DOCUMENT',
		]);
		return binary(pdf, 'application/pdf');
	}
	return binary(fixture(typeId === 'utility-bill' ? 'utility-bill.jpg' : 'card-front.jpg'), 'application/octet-stream');
}

function recordingsArchive(bytes: number, count: number, fault: Fault | undefined, mtime: Date) {
	const entries = [];
	for (let i = 1; i <= count; i++) entries.push({ name: `recording-${i}.webm`, source: media.videoSource(bytes) });
	return media.tarSource(entries, { mtime, malformed: fault ? ((fault.variant || 'short') as 'short' | 'checksum') : undefined });
}

function statistics(s: Session) {
	const t0 = s.createdAt.getTime();
	const iso = (ms: number) => new Date(t0 + ms).toISOString();
	const p = s.parts;
	const scanned = !!p && (p.card || p.passport);
	const live = !!p && (p.liveness || p.face);
	return {
		sessionStartDate: s.createdAt.toISOString(),
		sessionTimeSpan: s.completedAt ? s.completedAt.getTime() - t0 : null,
		scanDocumentStartTime: scanned ? iso(1000) : null,
		scanDocumentEndTime: scanned ? iso(3000) : null,
		scanDocumentAttempts: scanned ? 1 : 0,
		scanDocumentFailReason: null,
		livenessStartTime: live ? iso(5000) : null,
		livenessEndTime: live ? iso(8000) : null,
		livenessFailReasons: s.result === 'rejected' ? ['LOW_SIMILARITY'] : null,
		sessionTerminationStep: null,
		sessionTerminationReasons: null,
	};
}

function exportPdf(s: Session, what: { exportSession: boolean; exportScreening: boolean; exportProofOfAddress: boolean; }) {
	const included = [what.exportSession && 'session data', what.exportScreening && 'screening', what.exportProofOfAddress && 'proof of address']
		.filter(Boolean)
		.join(', ');
	const lines = [`Session: ${s.id}`, `Result: ${s.result}`, `Included: ${included}`, ''];
	if (what.exportSession) {
		lines.push('Session data');
		if (s.person) {
			lines.push(`  Name: ${s.person.first_name} ${s.person.last_name}`, `  Document number: ${s.person.document_number}`);
			lines.push(`  Birthday: ${s.person.birthday}`, `  Similarity: ${s.similarity}`);
		} else lines.push('  The session is in progress.');
	}
	if (what.exportScreening) lines.push('Screening', '  No screening matches.');
	if (what.exportProofOfAddress) {
		lines.push('Proof of address');
		const docs = s.parts?.generalDocuments || [];
		lines.push(docs.length ? `  Documents: ${docs.join(', ')}` : '  No proof of address in this session.');
	}
	lines.push('', 'IDENTOMAT SANDBOX - NOT A REAL REPORT');
	return media.makePdf('Identomat session report', lines);
}

/** API-host routes about sessions; `session: true` means the server resolved `ctx.session`. */
const routes: Route[] = [
	{
		host: 'api',
		path: 'export-session-as-pdf',
		session: true,
		handler(ctx: SessionContext) {
			const f = ctx.fields;
			const what = { exportSession: f.exportSession === true, exportScreening: f.exportScreening === true, exportProofOfAddress: f.exportProofOfAddress === true };
			if (!what.exportSession && !what.exportScreening && !what.exportProofOfAddress) return argumentError('wrong-parameters');
			return binary(exportPdf(ctx.session, what), 'application/pdf');
		},
	},
	{
		host: 'api',
		path: 'get-session-main-document-face-photo',
		session: true,
		handler(ctx: SessionContext) {
			const p = ctx.session.parts;
			if (!p || !p.documentFacePhoto || !(p.card || p.passport)) return argumentError('face-photo-not-found');
			return json({ result: fixtureUri('text/plain', 'document-face.jpg', ctx.takeFault('malformedDataUri')) });
		},
	},
	{
		host: 'api',
		path: 'list-session-activities',
		session: true,
		handler: (ctx: SessionContext) => json({ result: ctx.session.activities }),
	},
	{
		host: 'api',
		path: 'get-session-statistical-summary',
		session: true,
		handler: (ctx: SessionContext) => json({ result: [statistics(ctx.session)] }),
	},
	{
		host: 'api',
		path: 'get-visual-markers',
		session: true,
		handler(ctx: SessionContext) {
			if (!ctx.session.parts?.visualMarkers) return argumentError('not-found');
			return json({ result: nestedUris(VISUAL_MARKERS, ctx) });
		},
	},
	{
		host: 'api',
		path: 'get-question-file',
		session: true,
		handler(ctx: SessionContext) {
			const stepKey = str(ctx.fields.stepKey);
			const questionKey = str(ctx.fields.questionKey);
			const index = optionalCount(ctx.fields.fileIndex, -1);
			if (!stepKey || !questionKey || Number.isNaN(index)) return argumentError('wrong-parameters');
			const files: string[] | undefined = ctx.session.parts?.questionFiles ? QUESTION_FILES[stepKey]?.[questionKey] : undefined;
			if (!files || (index >= 0 && index >= files.length)) return argumentError('not-found');
			return json({ result: nestedUris([index >= 0 ? [files[index]] : files], ctx) });
		},
	},
	{
		host: 'api',
		path: 'get-video-call-shots',
		session: true,
		handler(ctx: SessionContext) {
			const call = ctx.session.videoCall;
			if (!call) return argumentError('not-found');
			return json({ result: nestedUris(call.shots, ctx) });
		},
	},
	{
		host: 'api',
		path: 'get-video-call-videos',
		session: true,
		handler(ctx: SessionContext) {
			const call = ctx.session.videoCall;
			if (!call || call.recordings === 0) return argumentError('not-found');
			const archive = recordingsArchive(call.recordingBytes, call.recordings, ctx.takeFault('malformedArchive'), ctx.session.completedAt ?? new Date());
			return streamed(archive, 'application/x-tar');
		},
	},
	{
		host: 'api',
		path: 'end-video-call',
		session: true,
		handler(ctx: SessionContext) {
			const call = ctx.session.videoCall;
			if (!call || !call.active) return argumentError('invalid-access');
			call.active = false;
			addActivity(ctx.session, 'VIDEO_CALL_ENDED');
			return json({});
		},
	},
];

export {
	GENERAL_DOCUMENT_TYPES,
	DEFAULT_PARTS,
	newSession,
	finishSession,
	createCompletedSession,
	addActivity,
	resultBody,
	generalDocument,
	fixture,
	routes,
};
