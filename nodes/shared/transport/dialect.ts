import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/**
 * Identomat has two hosts that speak two dialects (docs/identomat-api.md, "Two hosts, two dialects"):
 * the widget host takes `company_key`/`session_token` and paths ending in `/`, the API host takes
 * `companyKey`/`sessionId` and paths without one.
 */
export type Host = 'widget' | 'api';

export const DIALECTS = {
	widget: { keyField: 'company_key', sessionField: 'session_token', baseUrlField: 'widgetBaseUrl' },
	api: { keyField: 'companyKey', sessionField: 'sessionId', baseUrlField: 'apiBaseUrl' },
} as const;

export const DEFAULT_WIDGET_BASE_URL = 'https://widget.identomat.com/external-api';
export const DEFAULT_API_BASE_URL = 'https://external-api.identomat.com';

export function baseUrlOf(credentials: ICredentialDataDecryptedObject, host: Host): string {
	const configured = String(credentials[DIALECTS[host].baseUrlField] ?? '').trim();
	const fallback = host === 'widget' ? DEFAULT_WIDGET_BASE_URL : DEFAULT_API_BASE_URL;
	return (configured || fallback).replace(/\/+$/, '');
}

/** Which Identomat host a URL belongs to, or undefined for any other address. */
export function hostOfUrl(
	credentials: ICredentialDataDecryptedObject,
	url: string,
): Host | undefined {
	// The widget base URL may share an origin with the API base URL (as in the sandbox), so the
	// longer, more specific prefix decides.
	const candidates = (['widget', 'api'] as Host[])
		.map((host) => ({ host, base: baseUrlOf(credentials, host) }))
		.sort((a, b) => b.base.length - a.base.length);
	return candidates.find(({ base }) => url === base || url.startsWith(`${base}/`))?.host;
}

/** The address a person opens to go through a session (the widget host's origin). */
export function sessionUrl(credentials: ICredentialDataDecryptedObject, sessionId: string): string {
	const origin = new URL(baseUrlOf(credentials, 'widget')).origin;
	return `${origin}/?session_token=${encodeURIComponent(sessionId)}`;
}
