import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callIdentomat, identomatCredentials } from '../../transport';
import { sessionUrl } from '../../transport/dialect';
import { itemLabel, jsonParameter, optionalText } from '../shared/parameters';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Create',
	value: 'create',
	action: 'Create a verification session',
	description: 'Start a KYC session and get the link to send the person to',
};

const LANGUAGES: Array<[string, string]> = [
	['English', 'en'],
	['Arabic', 'ar'],
	['Azerbaijani', 'az'],
	['Bengali', 'bn'],
	['French', 'fr'],
	['Georgian', 'ka'],
	['German', 'de'],
	['Greek', 'gr'],
	['Hindi', 'hi'],
	['Italian', 'it'],
	['Japanese', 'ja'],
	['Kazakh', 'kk'],
	['Polish', 'pl'],
	['Portuguese', 'pt'],
	['Romanian', 'ro'],
	['Russian', 'ru'],
	['Spanish', 'es'],
	['Swedish', 'sv'],
	['Turkish', 'tr'],
	['Ukrainian', 'uk'],
	['Uzbek', 'uz'],
];

export const properties: INodeProperties[] = [
	{
		displayName: 'Configuration ID',
		name: 'configId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 62412c096c4b39ba845d4bf2',
		description:
			"ID of a flow saved in Identomat's no-code builder (24 hexadecimal characters; recommended). Leave empty to use Identomat's default flow or the steps set below.",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Custom Flags (JSON)',
				name: 'flags',
				type: 'json',
				default: '{}',
				description: 'Any other session flags as a JSON object; the options above take precedence',
			},
			{
				displayName: 'Custom Steps (JSON)',
				name: 'steps',
				type: 'json',
				default: '[]',
				description:
					'Steps as a JSON array. With a configuration ID, only the steps redefined here (matched by key) replace those of the configuration.',
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'options',
				options: LANGUAGES.map(([name, value]) => ({ name, value })),
				default: 'en',
				description: 'Language the person sees',
			},
			{
				displayName: 'Parent Session ID',
				name: 'parentSessionId',
				type: 'string',
				default: '',
				description:
					'ID of an existing session (40 lowercase letters and digits): the new one becomes its child, for verifications with several participants',
			},
			{
				displayName: 'Require HD Media',
				name: 'requireHdMedia',
				type: 'boolean',
				default: false,
				description: 'Whether to require high-definition camera capture',
			},
			{
				displayName: 'Restrict URL Sharing',
				name: 'restrictUrlSharing',
				type: 'boolean',
				default: false,
				description: 'Whether to stop the session link from being opened on another device',
			},
			{
				displayName: 'Return URL',
				name: 'returnUrl',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $execution.resumeUrl }}',
				description:
					"Where the person is sent when they finish. Use a Wait node's resume URL to continue the workflow right then.",
			},
			{
				displayName: 'Skip Desktop',
				name: 'skipDesktop',
				type: 'boolean',
				default: false,
				description:
					'Whether to send desktop users straight to their phone instead of using the webcam',
			},
			{
				displayName: 'Skip Document Step',
				name: 'skipDocument',
				type: 'boolean',
				default: false,
				description:
					'Whether to leave out the identity document step (set with Skip Face Step when you pass your own steps)',
			},
			{
				displayName: 'Skip Face Step',
				name: 'skipFace',
				type: 'boolean',
				default: false,
				description: 'Whether to leave out the liveness/face step',
			},
			{
				displayName: 'Switch Device URL',
				name: 'switchDeviceUrl',
				type: 'string',
				default: '',
				description: 'Your own page to show when the person moves to another device',
			},
		],
	},
];

/** Option name → Identomat flag name (docs/identomat-api.md, "Session lifecycle"). */
const FLAG_NAMES: Record<string, string> = {
	language: 'language',
	returnUrl: 'return_url',
	skipDesktop: 'skip_desktop',
	switchDeviceUrl: 'switch_device_url',
	restrictUrlSharing: 'restrict_url_sharing',
	requireHdMedia: 'requireHdMedia',
	skipFace: 'skip_face',
	skipDocument: 'skip_document',
};

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const configId = optionalText(this, itemIndex, 'configId');
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const flags: IDataObject = {
		...(jsonParameter<IDataObject>(
			this,
			itemIndex,
			options.flags,
			'Custom Flags (JSON)',
			'object',
		) ?? {}),
	};
	for (const [option, flag] of Object.entries(FLAG_NAMES)) {
		const value = options[option];
		if (value !== undefined && value !== '') flags[flag] = value;
	}
	if (typeof flags.return_url === 'string' && !/^https?:\/\//i.test(flags.return_url)) {
		throw new NodeOperationError(
			this.getNode(),
			`"Return URL" in ${itemLabel(itemIndex)} is not a web address`,
			{
				itemIndex,
				description:
					'Start it with https:// (or http://), e.g. {{ $execution.resumeUrl }} from a Wait node.',
			},
		);
	}
	const steps = jsonParameter<IDataObject[]>(
		this,
		itemIndex,
		options.steps,
		'Custom Steps (JSON)',
		'array',
	);

	const fields: IDataObject = {};
	if (configId) fields.config_id = configId;
	if (Object.keys(flags).length) fields.flags = flags;
	if (steps?.length) fields.steps = steps;
	const parent = optionalText(this, itemIndex, 'options.parentSessionId');
	if (parent) fields.parent_session_id = parent;

	const sessionId = await callIdentomat<string>(this, {
		host: 'widget',
		path: 'begin/',
		fields,
		readOnly: false,
		itemIndex,
	});
	const credentials = await identomatCredentials(this);
	return [{ json: { sessionId, sessionUrl: sessionUrl(credentials, sessionId) } }];
}
