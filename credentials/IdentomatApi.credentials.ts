import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { authenticateIdentomatRequest } from '../nodes/Identomat/transport/authenticate';
import {
	DEFAULT_API_BASE_URL,
	DEFAULT_WIDGET_BASE_URL,
} from '../nodes/Identomat/transport/dialect';

const WRONG_KEY =
	'Identomat did not accept the company key. Copy it again from Identomat (Company settings → API access) and check that the base URLs point to the same environment.';

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

	// A cheap read on the API host. Identomat answers a wrong key with HTTP 200 and an error body,
	// so the rules look at the body, not only the status.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.apiBaseUrl}}',
			url: '/list-users',
			method: 'POST',
			body: {},
		},
		rules: [
			{ type: 'responseSuccessBody', properties: { key: 'argumentError', value: 'invalid-company-key', message: WRONG_KEY } },
			{ type: 'responseSuccessBody', properties: { key: 'argumentError', value: 'company-missing', message: WRONG_KEY } },
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'argumentError',
					value: 'invalid-signature',
					message: 'Identomat could not verify the request signature. Check the HMAC Secret Key, or leave it empty if your company key is not an HMAC key.',
				},
			},
		],
	};
}
