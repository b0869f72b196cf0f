import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/** The company callbacks Identomat is known to send (docs/identomat-api.md, "Company callbacks"). */
export const CALLBACK_EVENTS = [
	{
		name: 'Email One-Time Password Request',
		value: 'email-one-time-password-request',
		description: 'Identomat asks you to e-mail a one-time code to the person',
	},
	{
		name: 'One-Time Password Request',
		value: 'one-time-password-request',
		description:
			'Identomat asks you to send a one-time code by SMS through your own provider (sessionId, text, phoneNumber)',
	},
	{
		name: 'Share Session Link via Email',
		value: 'share-session-link-via-email',
		description: 'Identomat asks you to e-mail the verification link to the person',
	},
	{
		name: 'Share Session Link via SMS',
		value: 'share-session-link-via-sms',
		description: 'Identomat asks you to send the verification link (sessionLink) by SMS',
	},
];

const KNOWN = new Set(CALLBACK_EVENTS.map((e) => e.value));

/**
 * Where the event type travels is not public (docs/identomat-api.md, "Not confirmed"): `type` first, then the other names a
 * callback could plausibly use.
 */
export function eventTypeOf(body: IDataObject): string | undefined {
	for (const field of ['type', 'event', 'eventType', 'callbackType']) {
		if (typeof body[field] === 'string' && body[field]) return body[field] as string;
	}
	return undefined;
}

/** Constant-time comparison that also hides the expected key's length (both sides are hashed first). */
export function sameKey(received: unknown, expected: string): boolean {
	if (typeof received !== 'string' || received.length === 0 || expected.length === 0) return false;
	const a = createHash('sha256').update(received, 'utf8').digest();
	const b = createHash('sha256').update(expected, 'utf8').digest();
	return timingSafeEqual(a, b);
}

/**
 * A refused call: 401 with the reason, and nothing runs. While testing ("Listen for test event"),
 * the editor would otherwise show nothing at all, so the call also appears on the second output
 * ("Refused While Testing"), which nothing downstream of the first output sees. Only the reason
 * and the names of the fields received are shown, never their values (the key a caller sent
 * included). In production nothing starts: a stranger's calls must not fill the executions list.
 */
function reject(ctx: IWebhookFunctions, message: string, body: IDataObject): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.writeHead(401, { 'Content-Type': 'application/json; charset=utf-8' });
	res.end(JSON.stringify({ message }));
	ctx.logger.warn(`Identomat Callback Trigger "${ctx.getNode().name}" answered a call with 401: ${message}`);
	if (ctx.getMode() !== 'manual') return { noWebhookResponse: true };
	const refused = { status: 401, message, receivedFields: Object.keys(body) };
	return { noWebhookResponse: true, workflowData: [[], ctx.helpers.returnJsonArray(refused)] };
}

/** JSON with the keys of every object sorted, so the same callback always gives the same text. */
export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (typeof value === 'object' && value !== null) {
		const record = value as Record<string, unknown>;
		const keys = Object.keys(record).sort();
		return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

/** How many repeats are remembered at most, whatever the window: bounds the workflow's static data. */
export const MAX_REMEMBERED_CALLBACKS = 1000;

/**
 * Whether this callback was already accepted within the last `windowMinutes`; remembers it if not.
 *
 * Identomat sends no delivery ID or time stamp, so "the same callback" is the same body: the same
 * event, session, text, phone number, link. A new code or a new link is a new callback. What is
 * remembered is an HMAC of the body keyed with the callback API key, never the body itself: static
 * data is stored (and exported) with the workflow, and a plain hash of a 6-digit code and a phone
 * number could be reversed by trying them all.
 *
 * Where it lives: the workflow's static data, the only store a node has that every instance
 * shares. n8n loads it from the database for every production webhook call and saves it after
 * answering when it changed (LiveWebhooks in n8n 2.41.1: the same code in the main process and in
 * queue mode's webhook processors), without a lock: two copies arriving at the same moment can both
 * start a run. n8n 2.41.1 loses the change when the call starts a run and the workflow already has
 * static data: WorkflowRunner.establishContextForPersistence builds a second Workflow over the same
 * static data object, which resets its "changed" flag before LiveWebhooks saves. So there only the
 * first remembered callback is recognised (test/e2e/webhooks.test.ts shows it).
 */
function isRepeat(ctx: IWebhookFunctions, event: IDataObject, key: string, windowMinutes: number): boolean {
	const staticData = ctx.getWorkflowStaticData('node');
	const now = Date.now();
	const oldest = now - windowMinutes * 60_000;
	const seen = Object.entries((staticData.recentCallbacks ?? {}) as Record<string, number>).filter(
		([, at]) => typeof at === 'number' && at > oldest && at <= now,
	);
	const fingerprint = createHmac('sha256', key).update(canonicalJson(event)).digest('hex').slice(0, 32);
	if (seen.some(([known]) => known === fingerprint)) return true;
	seen.push([fingerprint, now]);
	// Assigned whole (not mutated) so n8n sees the change and saves it.
	staticData.recentCallbacks = Object.fromEntries(seen.slice(-MAX_REMEMBERED_CALLBACKS));
	return false;
}

export class IdentomatCallbackTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Identomat Callback Trigger',
		name: 'identomatCallbackTrigger',
		icon: { light: 'file:../../icons/identomat.svg', dark: 'file:../../icons/identomat.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: `={{ $parameter["events"].map((event) => (${JSON.stringify(Object.fromEntries(CALLBACK_EVENTS.map((e) => [e.value, e.name])))})[event] ?? event).join(", ") }}`,
		description:
			'Starts the workflow when Identomat sends a company callback: one-time codes and session links to deliver by SMS or e-mail',
		defaults: { name: 'Identomat Callback Trigger' },
		inputs: [],
		outputs: [
			{ type: NodeConnectionTypes.Main, displayName: 'Callbacks' },
			{ type: NodeConnectionTypes.Main, displayName: 'Refused While Testing' },
		],
		credentials: [{ name: 'identomatApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// Empty, so n8n answers with the body webhook() gives ({"received": true}); left out, n8n
				// 2.41.1 answers the literal text "firstEntryJson", its default for this field.
				responseData: '',
				path: 'webhook',
			},
		],
		// Credential-equivalent fields of a callback: n8n is to hide them in execution views while
		// still handing them to the next node. `text` holds the one-time code (whoever reads it can
		// pass the person's phone or e-mail check), `sessionLink` opens the person's verification
		// session as them, and `phoneNumber` is where the codes go. The session ID stays visible: it
		// is how every Identomat operation names the session. n8n 2.41.1 does not apply this list
		// yet (README, "Personal data", says what it shows).
		sensitiveOutputFields: ['text', 'phoneNumber', 'sessionLink'],
		properties: [
			{
				displayName:
					"Set this node's production URL as the callback URL in Identomat (Company settings), and copy the callback API key set there into the credential's Callback API Key. While that field is empty, every call is refused with 401.",
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: [
					'email-one-time-password-request',
					'one-time-password-request',
					'share-session-link-via-email',
					'share-session-link-via-sms',
				],
				description: 'The callbacks that start the workflow; others are acknowledged and ignored',
				options: CALLBACK_EVENTS,
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Include Unknown Event Types',
						name: 'includeUnknownEvents',
						type: 'boolean',
						default: false,
						description:
							'Whether callbacks of a type not listed above (e.g. types Identomat adds later, or status updates) also start the workflow',
					},
					{
						displayName: 'Ignore Repeats Within (Minutes)',
						name: 'repeatWindowMinutes',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 1440 },
						default: 10,
						description:
							'A callback identical to one accepted this many minutes before (e.g. Identomat sending it again after a timeout) is answered but starts no second run. 0 starts a run for every call. Not applied while testing.',
					},
				],
			},
		],
	};

	// Identomat has no API to register a callback URL: it is set by hand in Company settings, so
	// there is nothing to create or remove on Identomat's side when the workflow is (de)activated.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const credentials = await this.getCredentials<ICredentialDataDecryptedObject>('identomatApi');
		const expected = String(credentials.callbackApiKey ?? '');
		const raw = this.getBodyData();
		const body: IDataObject =
			typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {};
		if (!expected) {
			return reject(
				this,
				'This callback URL refuses calls until the Callback API Key of its Identomat credential in n8n is set to the key configured in Identomat.',
				body,
			);
		}
		if (!sameKey(body.callbackApiKey, expected)) {
			return reject(
				this,
				'The callback API key is missing or does not match the one configured for this callback URL.',
				body,
			);
		}

		const received = { webhookResponse: { received: true } };
		const event: IDataObject = { ...body };
		delete event.callbackApiKey;
		const type = eventTypeOf(event);
		const selected = this.getNodeParameter('events', []) as string[];
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const wanted =
			type !== undefined && KNOWN.has(type)
				? selected.includes(type)
				: options.includeUnknownEvents === true;
		if (!wanted) return received;

		// While testing, every call runs: the same test callback sent twice should show twice.
		const windowMinutes = Number(options.repeatWindowMinutes ?? 10);
		if (this.getMode() !== 'manual' && windowMinutes > 0 && isRepeat(this, event, expected, windowMinutes)) {
			return received;
		}

		return { ...received, workflowData: [this.helpers.returnJsonArray(event), []] };
	}
}
