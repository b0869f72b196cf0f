/**
 * The sandbox's types: what startSandbox answers (`Sandbox`), what it records (`SandboxRequest`),
 * its data (`State`) and what the modules share (`Internals`, `Route`, `Answer`). Types only, so a
 * program compiled apart from the sandbox (the bench) can use them without compiling the sandbox.
 */
import type http from 'node:http';
import type net from 'node:net';

/** Identomat's two hosts. */
export type IdentomatHost = 'widget' | 'api';
/** Identomat's two hosts, the sandbox's control endpoints and its pages. */
export type Host = IdentomatHost | 'control' | 'page';
export type Encoding = 'json' | 'multipart' | 'urlencoded' | 'query' | 'none';

/** A body produced piece by piece; `open()` may be called more than once (signing, then sending). */
export interface Source {
	length: number;
	open(): AsyncIterable<Buffer>;
	cacheKey?: string;
}

/** What a handler answers. `error` marks an Identomat error body (never signed). */
export interface Answer {
	status: number;
	type: string;
	body?: Buffer;
	source?: Source;
	error?: boolean;
	headers?: Record<string, string>;
}

export interface UploadedFile {
	field: string;
	filename: string;
	contentType: string;
	data: Buffer;
}

/** One request as the sandbox recorded it. */
export interface SandboxRequest {
	/** `widget` and `api` are Identomat's two hosts; `control` and `page` are the sandbox's own. */
	host: Host;
	path: string;
	method: string;
	encoding: Encoding;
	contentType: string | null;
	fields: Record<string, unknown>;
	files: Array<{ field: string; filename: string; contentType: string; size: number; sha256: string }>;
	headers: http.IncomingHttpHeaders;
	/** 'valid', 'invalid' or 'missing' with an HMAC secret; null without one */
	signature: 'valid' | 'invalid' | 'missing' | null;
	/** null until answered; 0 when never answered (a reset or timeout fault) */
	status: number | null;
	time: string;
}

/**
 * An injected fault: matches a host/path (omitted = any) and is consumed `times` times.
 * `truncate` cuts the connection after `afterBytes` bytes of the body (default: half of it); `stall`
 * sends the headers and `afterBytes` bytes (default 0), then nothing more; `body` answers HTTP 200
 * with `body` (text) or `bodyBase64` of type `type` (and extra `headers`) instead of what the endpoint
 * would; `drip` sends the body in pieces of `chunkBytes` (default 4096), `delayMs` (default 300) apart.
 */
export interface Fault {
	host?: IdentomatHost;
	path?: string;
	kind: string;
	times: number;
	status?: number;
	retryAfter?: number;
	code?: string;
	delayMs?: number;
	variant?: string;
	location?: string;
	afterBytes?: number;
	body?: string;
	bodyBase64?: string;
	type?: string;
	headers?: Record<string, string>;
	chunkBytes?: number;
	used: number;
}
/** What `faults.add` takes: a fault without its count of uses; `times` may also be null or 'Infinity'. */
export type FaultSpec = Omit<Partial<Fault>, 'times' | 'used'> & { kind: string; times?: number | string | null };

export interface Faults {
	list: Fault[];
	add(spec: FaultSpec): Fault;
	clear(): void;
	/** Takes the first fault of one of `kinds` matching host/path, consuming one use. */
	take(host: string, path: string, kinds: readonly string[]): Fault | undefined;
}

/** What a completed session holds (createCompletedSession's options). */
export interface Parts {
	/** ID card front and back */
	card: boolean;
	passport: boolean;
	face: boolean;
	/** the liveness video (result/face-video/) */
	liveness: boolean;
	/** selfie with document */
	faceDocument: boolean;
	/** needs card or passport */
	documentFacePhoto: boolean;
	visualMarkers: boolean;
	questionFiles: boolean;
	generalDocuments: false | string[];
	videoCall: boolean;
	activeVideoCall: boolean;
}

export interface Activity {
	id: string;
	type: string;
	time: string;
	data: unknown[];
}

export interface Person {
	first_name: string;
	last_name: string;
	document_number?: string;
	birthday?: string;
	[field: string]: unknown;
}

export interface Session {
	id: string;
	createdAt: Date;
	completedAt: Date | null;
	result: string;
	flags: Record<string, unknown>;
	steps: unknown[];
	configId: string | null;
	parentSessionId: string | null;
	userAgent: string;
	remoteAddress: string;
	similarity: number | null;
	live: boolean;
	person: Person | null;
	parts: Parts | null;
	videoCall: null | { active: boolean; shots: string[][]; recordings: number; recordingBytes: number };
	activities: Activity[];
}

/** How a session ends: its media (Parts) and what the person's data says. */
export type FinishOptions = Partial<Parts> & {
	person?: Record<string, unknown>;
	similarity?: number;
	live?: boolean;
	userAgent?: string;
	completedAt?: Date;
};
export type CompletedSessionOptions = FinishOptions & { result?: string; flags?: Record<string, unknown>; steps?: unknown[] };

export interface MonitoringRecord {
	id: string;
	fullName: string;
	birthdayTimeFrom?: string;
	lastUpdatedDate?: string;
	/** the name and birthday the record is unique by */
	key: string;
}

export interface BlacklistRecord {
	firstName: string | null;
	lastName: string | null;
	documentNumber: string | null;
	personalNumber: string | null;
	birthday: string | null;
	notes: string | null;
	reason: string;
	id: string;
}

export interface Group {
	id: string;
	name: string;
	memberIds: string[];
}

export interface User {
	id: string;
	username: string;
	roles: string[];
	firstName: string | null;
	lastName: string | null;
	emailVerified: boolean;
}

/** A session configuration, as get-session-config answers it. */
export interface SessionConfig {
	id: string;
	[field: string]: unknown;
}

/** The sandbox's data: what reset() returns to its seeded values. */
export interface State {
	sessions: Map<string, Session>;
	configs: Map<string, SessionConfig>;
	users: User[];
	groups: Group[];
	blacklist: BlacklistRecord[];
	monitoring: MonitoringRecord[];
	/** the keys of `monitoring` (name and birthday), to refuse a second record of the same */
	monitoringKeys: Set<string>;
	/** how many people monitoring.seed() has made (their names count on from it) */
	seeded: number;
}

/**
 * Test controls of the two list endpoints (monitoring records and blacklist records), for the
 * trigger's tests: Identomat's clock as an offset from this machine's (sent as the `Date` header),
 * the order of a date-filtered monitoring list (insertion, or by last update as some APIs do), a
 * hook run before each page is cut from the list (to change the list between the pages of one
 * read), and the most records a page holds (as an API capping the limit). reset() puts them back.
 */
export interface Listing {
	clockOffsetMs: number;
	order: 'insertion' | 'updated';
	maxPage?: number;
	beforePage?: (path: string, fields: Record<string, unknown>) => void;
}

export interface SandboxOptions {
	/** 0 (the default): any free port */
	port?: number;
	companyKey?: string;
	/** HMAC mode: requests must be signed with it, and answers are */
	secretKey?: string;
	/** the size of the liveness video (result/face-video/) */
	videoBytes?: number;
	/** the size of each video call recording, and how many there are */
	recordingBytes?: number;
	recordingCount?: number;
	/** a delay before every Identomat answer */
	latencyMs?: number;
	/** whether list-screening-monitoring-records' `date` keeps records updated at that instant ('gte') or only after it ('gt') */
	monitoringDateFilter?: 'gt' | 'gte';
	/** one line per request on the console (never bodies) */
	log?: boolean;
}

/** The options with their defaults filled in. */
export interface ResolvedOptions {
	companyKey: string;
	secretKey: string | undefined;
	videoBytes: number;
	recordingBytes: number;
	recordingCount: number;
	monitoringDateFilter: 'gt' | 'gte';
	log: boolean;
}

/** What the request handlers get. */
export interface RouteContext {
	sb: Internals;
	req: http.IncomingMessage;
	method: string;
	host: Host;
	path: string;
	query: URLSearchParams;
	encoding: Encoding;
	fields: Record<string, unknown>;
	files: UploadedFile[];
	parseError: boolean;
	/** The fault of `kind` for this request, consumed (a handler's own faults, e.g. a malformed data URI). */
	takeFault(kind: string): Fault | undefined;
}
/** The context of a route about one session: the server has found it. */
export type SessionContext = RouteContext & { session: Session };

interface RouteBase {
	host: IdentomatHost;
	path: string;
	/** API host routes that take multipart rather than JSON */
	multipart?: boolean;
	/** the answer to a wrong company key, when not `invalid-company-key` */
	badKey?: () => Answer;
}
/** One Identomat endpoint; `session: true` means the server resolves the session it names first. */
export type Route =
	| (RouteBase & { session: true; handler(ctx: SessionContext): Answer | Promise<Answer> })
	| (RouteBase & { session?: false; handler(ctx: RouteContext): Answer | Promise<Answer> });

/** The sandbox's internals, which its modules work on. */
export interface Internals {
	options: ResolvedOptions;
	state: State;
	requests: SandboxRequest[];
	faults: Faults;
	latencyMs: number;
	listing: Listing;
	routes: Map<string, Route>;
	/** response signatures of streamed bodies, by the body's cacheKey */
	digestCache: Map<string, string>;
	sockets: Set<net.Socket>;
	timers: Set<NodeJS.Timeout>;
	widgetPage(ctx: RouteContext): Answer;
	control(ctx: RouteContext): Promise<Answer>;
	url: string;
	widgetBaseUrl: string;
	apiBaseUrl: string;
}

/** Screening monitoring records: new ones (`seed`, `add`), updated ones (`touch`). */
export interface Monitoring {
	/** `count` new records of made-up people; their IDs */
	seed(count: number): string[];
	add(fullName: string, birthdayTimeFrom?: string | Date): string;
	/** Marks records (default: every one) as updated at `date` (default: now); how many. */
	touch(ids?: string[], date?: Date): number;
}

/** The sandbox a test, the demo or the bench talks to: startSandbox's answer. */
export interface Sandbox {
	port: number;
	url: string;
	widgetBaseUrl: string;
	apiBaseUrl: string;
	companyKey: string;
	secretKey?: string;
	/** The options in force (the bench changes videoBytes between measurements; reset() restores them). */
	options: ResolvedOptions;
	/** The page a person opens for a session (like https://widget.identomat.com/?session_token=<id>). */
	sessionUrl(sessionId: string): string;
	/** The committed fixture files by name. */
	fixtures: Record<string, Buffer>;
	/** Everything received since the last reset, oldest first. */
	requests: SandboxRequest[];
	clearRequests(): void;
	setLatency(ms: number): void;
	/** The delay before every Identomat answer (setLatency, or the latencyMs option). */
	readonly latencyMs: number;
	faults: Pick<Faults, 'add' | 'clear' | 'list'>;
	/** The list endpoints' test controls (clock, order, page cap, a hook between pages). */
	listing: Listing;
	monitoring: Monitoring;
	/** A finished session with every media item unless told otherwise; returns its ID. */
	createCompletedSession(options?: CompletedSessionOptions): string;
	/** Finishes a session begun by Session → Create, as the person would (result `approved` unless told otherwise). */
	completeSession(sessionId: string, result?: string, options?: FinishOptions): string;
	/** The sandbox's data (sessions, blacklist, groups, users, configs …). */
	readonly state: State;
	/** POSTs a company callback to `url` as Identomat does; what came back. */
	sendCallback(url: string, body: unknown): Promise<{ status: number; body: unknown }>;
	/** Back to a fresh sandbox's state: data, requests, faults, latency, list controls, options. */
	reset(): void;
	close(): Promise<void>;
}

export type StartSandbox = (options?: SandboxOptions) => Promise<Sandbox>;
