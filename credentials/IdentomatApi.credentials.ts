import type {
	IAuthenticateRuleResponseCode,
	IAuthenticateRuleResponseSuccessBody,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { ENDPOINTS } from '../nodes/shared/api/endpoints';
import {
	authenticateIdentomatRequest,
	DEFAULT_API_BASE_URL,
	DEFAULT_WIDGET_BASE_URL,
	ERROR_CODES,
	type Explanation,
	statusExplanation,
} from '../nodes/shared/transport';

/**
 * The credential test, in the words the node uses for the same answers. It is n8n's declarative
 * test: n8n itself reports a connection that fails (it shows the system's code, e.g.
 * ECONNREFUSED), and a node's own `credentialTest` would need n8n's deprecated `request` helper,
 * which n8n's lint and its package scanner reject.
 */
const said = ({ message, hint }: Explanation) => `${message}. ${hint}`;

const bodyRule = (
	key: string,
	value: string | undefined,
	explanation: Explanation,
): IAuthenticateRuleResponseSuccessBody => ({
	type: 'responseSuccessBody',
	properties: { key, value, message: said(explanation) },
});

const statusRule = (status: number): IAuthenticateRuleResponseCode => ({
	type: 'responseCode',
	properties: { value: status, message: said(statusExplanation(status, 'other')) },
});

/** A list-users answer without its list, and no code either: whatever answered is not Identomat. */
const NOT_IDENTOMAT: Explanation = {
	message: 'The API Base URL did not answer the test as Identomat does',
	hint: `The test asks it for the company's users and got no list back. Check that the API Base URL is Identomat's API address (default ${DEFAULT_API_BASE_URL}), not the widget address or another service. If it is, the company key may not have access to user management: try the node itself, e.g. Session → Get Result.`,
};

export class IdentomatApi implements ICredentialType {
	name = 'identomatApi';

	displayName = 'Identomat API';

	icon: Icon = { light: 'file:../icons/identomat.svg', dark: 'file:../icons/identomat.dark.svg' };

	documentationUrl = 'https://docs.identomat.com/developer-tools/api-reference';

	properties: INodeProperties[] = [
		{
			displayName: 'Company Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description: "Your company's secret key from Identomat (Company settings → API access)",
		},
		{
			displayName: 'Widget API Base URL',
			name: 'widgetBaseUrl',
			type: 'string',
			default: DEFAULT_WIDGET_BASE_URL,
			description:
				'Where sessions are created and their results and media are read. Starts with https:// (plain http:// only for this machine, such as the sandbox).',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: DEFAULT_API_BASE_URL,
			description:
				'Where screening, blacklist, video call, group and user endpoints live. Starts with https:// (plain http:// only for this machine, such as the sandbox).',
		},
		{
			displayName: 'HMAC Secret Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only for an HMAC-type company key: the secret issued with it. Requests are then signed and answers are checked. Leave empty for a plain company key.',
		},
		{
			displayName: 'Callback API Key',
			name: 'callbackApiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The callback API key set in Identomat next to your callback URL. The Identomat Callback Trigger accepts only calls that carry it.',
		},
	];

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return await authenticateIdentomatRequest(credentials, requestOptions);
	}

	// A cheap read on the API host (the users endpoint). Identomat answers a wrong key with HTTP 200 and an error body,
	// so the rules look at the body, not only the status. The first rule that matches is shown.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.apiBaseUrl}}',
			url: `/${ENDPOINTS.users.path}`,
			method: 'POST',
			body: {},
		},
		// n8n's type wants one kind of rule per list; its tester reads both kinds from one list
		// (responseCode rules for a failed status, responseSuccessBody rules for an answer).
		rules: [
			...['invalid-company-key', 'company-missing', 'invalid-signature'].map((code) =>
				bodyRule('argumentError', code, ERROR_CODES[code]),
			),
			...[401, 403, 404, 500, 502, 503, 504].map(statusRule),
			bodyRule('result', undefined, NOT_IDENTOMAT),
		] as IAuthenticateRuleResponseSuccessBody[],
	};
}
