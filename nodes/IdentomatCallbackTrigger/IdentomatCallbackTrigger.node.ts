import { createHash, timingSafeEqual } from 'node:crypto';

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

function reject(ctx: IWebhookFunctions, message: string): IWebhookResponseData {
	const res = ctx.getResponseObject();
	res.writeHead(401, { 'Content-Type': 'application/json; charset=utf-8' });
	res.end(JSON.stringify({ message }));
	return { noWebhookResponse: true };
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
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'identomatApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				path: 'webhook',
			},
		],
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
		if (!expected) {
			return reject(
				this,
				'This callback URL refuses calls until the Callback API Key of its Identomat credential in n8n is set to the key configured in Identomat.',
			);
		}

		const raw = this.getBodyData();
		const body: IDataObject =
			typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? raw : {};
		if (!sameKey(body.callbackApiKey, expected)) {
			return reject(
				this,
				'The callback API key is missing or does not match the one configured for this callback URL.',
			);
		}

		const event: IDataObject = { ...body };
		delete event.callbackApiKey;
		const type = eventTypeOf(event);
		const selected = this.getNodeParameter('events', []) as string[];
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const wanted =
			type !== undefined && KNOWN.has(type)
				? selected.includes(type)
				: options.includeUnknownEvents === true;
		if (!wanted) return { webhookResponse: { received: true } };

		return { workflowData: [this.helpers.returnJsonArray(event)] };
	}
}
