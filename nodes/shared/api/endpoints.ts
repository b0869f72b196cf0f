import { type Host } from '../transport';

/**
 * Every Identomat endpoint this package calls, declared once, as data. The nodes call endpoints by
 * name (`api/call.ts`); the sandbox serves one route per declaration; the README's operations
 * table, the tool descriptions a model reads and docs/identomat-api.md are checked against it.
 * Nothing else in `nodes/` names a path.
 *
 * What is the same for every endpoint of a host (docs/identomat-api.md, "Two hosts, two
 * dialects") comes from the host: the company key always travels in the body, as `company_key` on
 * the widget host and `companyKey` on the API host (the credential puts it there, and signs the
 * body when an HMAC secret is set); a session ID travels as `session_token` / `sessionId`.
 */
export interface Endpoint {
	host: Host;
	/** As the reference writes it: widget-host paths end in `/`, API-host paths do not. */
	path: string;
	/** Whether the request names one session (its ID in the host's session field). */
	session: boolean;
	/** `json`: a JSON body; `multipart`: form fields plus the image files it reads. */
	body: 'json' | 'multipart';
	/**
	 * `safe`: sending it again after a failure on the way changes nothing, so the transport tries
	 * again; `never`: a write that may have happened already is never sent twice. Stated for every
	 * endpoint, never defaulted.
	 */
	retry: 'safe' | 'never';
	/**
	 * `reads`: changes nothing; `changes`: changes data that can be changed back; `permanent`:
	 * cannot be undone (an AI agent is told so in the tool's description).
	 */
	effect: 'reads' | 'changes' | 'permanent';
	/**
	 * What comes back: `json`; `list`, a whole list; `page`, one page of a paged list
	 * (`{data, total}`); `file`, one file; `largeFile`, one file stored as it arrives (videos);
	 * `archive`, a tar archive of files; `dataUri` / `dataUris`, JSON holding one / several files as
	 * data URIs.
	 */
	returns: 'json' | 'list' | 'page' | 'file' | 'largeFile' | 'archive' | 'dataUri' | 'dataUris';
}

/** A widget-host endpoint about one session that changes nothing. */
// prettier-ignore
const sessionFile = <R extends Endpoint['returns']>(path: string, returns: R) =>
	({ host: 'widget', path, session: true, body: 'json', retry: 'safe', effect: 'reads', returns }) as const;

/** A widget-host document reading: the photo goes up in the multipart field `image`. */
// prettier-ignore
const documentRead = (path: string) =>
	({ host: 'widget', path, session: false, body: 'multipart', retry: 'safe', effect: 'reads', returns: 'json' }) as const;

/** An API-host call about one session. */
// prettier-ignore
const sessionRead = <R extends Endpoint['returns']>(path: string, returns: R) =>
	({ host: 'api', path, session: true, body: 'json', retry: 'safe', effect: 'reads', returns }) as const;

/** An API-host call that changes nothing. */
// prettier-ignore
const apiRead = <R extends Endpoint['returns']>(path: string, returns: R) =>
	({ host: 'api', path, session: false, body: 'json', retry: 'safe', effect: 'reads', returns }) as const;

/** An API-host write: never sent twice. */
// prettier-ignore
const apiWrite = <E extends 'changes' | 'permanent'>(path: string, effect: E) =>
	({ host: 'api', path, session: false, body: 'json', retry: 'never', effect, returns: 'json' }) as const;

// One line per endpoint, read as a table: kept as written.
// prettier-ignore
export const ENDPOINTS = {
	// Sessions (widget host)
	beginSession: { host: 'widget', path: 'begin/', session: false, body: 'json', retry: 'never', effect: 'changes', returns: 'json' },
	sessionResult: { host: 'widget', path: 'result/', session: true, body: 'json', retry: 'safe', effect: 'reads', returns: 'json' },
	deleteSession: { host: 'widget', path: 'delete/', session: true, body: 'json', retry: 'never', effect: 'permanent', returns: 'json' },
	// Session media (widget host)
	cardFront: sessionFile('result/card-front/', 'file'),
	cardBack: sessionFile('result/card-back/', 'file'),
	passportPhoto: sessionFile('result/passport/', 'file'),
	faceImage: sessionFile('result/face/', 'file'),
	faceWithDocument: sessionFile('result/face-document/', 'file'),
	faceVideo: sessionFile('result/face-video/', 'largeFile'),
	generalDocument: sessionFile('result/general-document/', 'file'),
	// Document reading (widget host, multipart)
	readIdCardFront: documentRead('card/front/'),
	readIdCardBack: documentRead('card/back/'),
	readLicenseFront: documentRead('license/front/'),
	readLicenseBack: documentRead('license/back/'),
	readResidenceFront: documentRead('residence/front/'),
	readResidenceBack: documentRead('residence/back/'),
	readPassport: documentRead('passport/'),
	// Faces (API host, multipart: face1, face2)
	compareFaces: { host: 'api', path: 'compare-faces', session: false, body: 'multipart', retry: 'safe', effect: 'reads', returns: 'json' },
	// Sessions (API host)
	exportSessionPdf: sessionRead('export-session-as-pdf', 'file'),
	documentFacePhoto: sessionRead('get-session-main-document-face-photo', 'dataUri'),
	sessionActivities: sessionRead('list-session-activities', 'json'),
	sessionStatistics: sessionRead('get-session-statistical-summary', 'json'),
	visualMarkers: sessionRead('get-visual-markers', 'dataUris'),
	questionFile: sessionRead('get-question-file', 'dataUris'),
	videoCallShots: sessionRead('get-video-call-shots', 'dataUris'),
	videoCallRecordings: sessionRead('get-video-call-videos', 'archive'),
	endVideoCall: { host: 'api', path: 'end-video-call', session: true, body: 'json', retry: 'never', effect: 'permanent', returns: 'json' },
	// Screening (API host)
	searchScreening: apiRead('search-screening-person', 'page'),
	screeningPerson: apiRead('get-screening-person-details', 'json'),
	monitorScreening: apiWrite('monitor-screening-query', 'changes'),
	stopMonitoringScreening: apiWrite('remove-screening-query-from-monitoring', 'permanent'),
	monitoringRecords: apiRead('list-screening-monitoring-records', 'page'),
	// Blacklist (API host)
	addBlacklistRecord: apiWrite('add-blacklist-record', 'changes'),
	removeBlacklistRecord: apiWrite('remove-blacklist-record', 'permanent'),
	blacklistRecords: apiRead('list-blacklist-records', 'page'),
	// Company administration (API host)
	groups: apiRead('list-groups', 'list'),
	createGroup: apiWrite('make-group', 'changes'),
	// not make-group, as the reference's URL line says (docs/identomat-api.md, erratum 2)
	updateGroup: apiWrite('change-group', 'changes'),
	deleteGroup: apiWrite('delete-group', 'permanent'),
	users: apiRead('list-users', 'list'),
	// There is no endpoint to delete a user: a user made is there for good.
	createUser: apiWrite('create-user', 'permanent'),
	sessionConfiguration: apiRead('get-session-config', 'json'),
} as const satisfies Record<string, Endpoint>;

export type EndpointName = keyof typeof ENDPOINTS;

/** The names of the endpoints whose declared `field` is one of `values`. */
type Where<F extends keyof Endpoint, V> = {
	[N in EndpointName]: (typeof ENDPOINTS)[N][F] extends V ? N : never;
}[EndpointName];

/** Endpoints whose answer is JSON (whatever it holds). */
export type JsonEndpoint = Where<'returns', 'json' | 'list' | 'page' | 'dataUri' | 'dataUris'>;
/** Endpoints whose answer is a file or an archive of files. */
export type FileEndpoint = Where<'returns', 'file' | 'largeFile' | 'archive'>;
/** Endpoints about one session (its ID travels in the host's session field). */
export type SessionEndpoint = Where<'session', true>;
/** Endpoints whose JSON answer carries files as data URIs. */
export type DataUriEndpoint = Where<'returns', 'dataUri' | 'dataUris'>;
/** Endpoints that answer a whole list, without paging. */
export type ListEndpoint = Where<'returns', 'list'>;
/** The document readings: a photo sent to the widget host in a multipart body. */
export type DocumentReadEndpoint = Extract<Where<'body', 'multipart'>, Where<'host', 'widget'>>;
