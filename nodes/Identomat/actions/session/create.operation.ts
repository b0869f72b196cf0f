import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { deepCopy, NodeOperationError } from 'n8n-workflow';

import { callEndpoint, resultOf } from '../../../shared/api/call';
import { identomatCredentials, sessionUrl } from '../../../shared/transport';
import { itemLabel, jsonParameter, optionalText } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

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

export const endpoint = 'beginSession' satisfies EndpointName;

export const properties: INodeProperties[] = [
	{
		displayName: 'Configuration ID',
		name: 'configId',
		type: 'string',
		default: '',
		placeholder: 'e.g. 62412c096c4b39ba845d4bf2',
		description:
			"ID of a flow saved in Identomat's no-code builder (24 hexadecimal characters; recommended). Leave empty to use Identomat's default flow or the steps set below. Needed for Prefill Answers.",
	},
	{
		displayName: 'Prefill Answers',
		name: 'prefillAnswers',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Answer',
		default: {},
		description:
			"Answers to questions of the configuration's questionnaire steps, e.g. the person's name from your CRM, so they need not type them. Needs a Configuration ID; Configuration → Get shows the step and question keys.",
		options: [
			{
				displayName: 'Answer',
				name: 'answers',
				values: [
					{
						displayName: 'Step Key',
						name: 'stepKey',
						type: 'string',
						default: '',
						placeholder: 'e.g. agreement',
						description: 'Key of the questionnaire step in the configuration',
					},
					{
						displayName: 'Question Key',
						name: 'questionKey',
						type: 'string',
						default: '',
						placeholder: 'e.g. agreement-1',
						description: 'Key of the question in that step',
					},
					{
						displayName: 'Answer',
						name: 'answer',
						type: 'string',
						default: '',
						placeholder: 'e.g. John Doe',
						description: 'The answer, shown to the person already filled in',
					},
				],
			},
		],
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
				placeholder: 'e.g. https://crm.example.com/kyc/phone',
				description:
					'Your own page (https:// or http://) to show when the person moves to another device',
			},
		],
	},
];

interface PrefillAnswer {
	stepKey?: string;
	questionKey?: string;
	/** Text; an expression may give anything else, which is refused. */
	answer?: unknown;
}

/** What a value is, in words, for a message: "a number", "an object", "an array", "null". */
function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'an array';
	const type = typeof value;
	return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

const keysOf = (list: IDataObject[]) => list.map((entry) => String(entry.key)).join(', ') || 'none';

/**
 * The steps to send with Prefill Answers: the configuration's questionnaire steps that hold the
 * questions answered (or the Custom Steps of the same key), with those answers filled in, as the
 * reference's "override specific steps" example does. The other steps stay as configured.
 */
async function prefilledSteps(
	ctx: IExecuteFunctions,
	itemIndex: number,
	configId: string | undefined,
	customSteps: IDataObject[],
): Promise<IDataObject[]> {
	const prefill = ctx.getNodeParameter('prefillAnswers.answers', itemIndex, []) as PrefillAnswer[];
	if (!prefill.length) return customSteps;
	const where = `Prefill Answers in ${itemLabel(itemIndex)}`;
	const fail = (message: string, description: string) =>
		new NodeOperationError(ctx.getNode(), `${where}: ${message}`, { itemIndex, description });
	if (!configId) {
		throw fail(
			'a Configuration ID is needed',
			"The answers fill in questions of a flow saved in Identomat's no-code builder: enter its Configuration ID, or remove the answers.",
		);
	}
	const answer = await callEndpoint(ctx, 'sessionConfiguration', {
		fields: { sessionConfigId: configId },
		itemIndex,
	});
	const configured = resultOf<IDataObject>(answer)?.steps;
	const configSteps = Array.isArray(configured) ? (configured as IDataObject[]) : [];
	const steps = deepCopy(customSteps);
	for (const [index, { stepKey = '', questionKey = '', answer: value = '' }] of prefill.entries()) {
		if (!stepKey.trim() || !questionKey.trim()) {
			throw fail(
				`answer ${index + 1} has no ${stepKey.trim() ? 'Question Key' : 'Step Key'}`,
				'Enter the keys of the step and of the question, e.g. agreement and agreement-1 (Configuration → Get shows them).',
			);
		}
		if (typeof value !== 'string') {
			// Identomat shows the answer as typed text: a number or an object would arrive as something else.
			throw fail(
				`the answer to question "${questionKey.trim()}" of step "${stepKey.trim()}" is ${kindOf(value)}, not text`,
				'Map a text field, e.g. {{ $json.name }}, or turn the value into text, e.g. {{ String($json.age) }}.',
			);
		}
		let step = steps.find((s) => s.key === stepKey.trim());
		if (!step) {
			const configStep = configSteps.find((s) => s.key === stepKey.trim());
			if (!configStep) {
				throw fail(
					`configuration ${configId} has no step "${stepKey.trim()}"`,
					`Its steps are: ${keysOf(configSteps)}. Use one of these keys, or check the Configuration ID.`,
				);
			}
			step = deepCopy(configStep);
			steps.push(step);
		}
		const questions = Array.isArray(step.questions) ? (step.questions as IDataObject[]) : [];
		const question = questions.find((q) => q.key === questionKey.trim());
		if (!question) {
			const withQuestions = configSteps.filter(
				(s) => Array.isArray(s.questions) && s.questions.length,
			);
			throw fail(
				`step "${stepKey.trim()}" has no question "${questionKey.trim()}"`,
				questions.length
					? `Its questions are: ${keysOf(questions)}.`
					: `That step has no questions. Steps with questions: ${keysOf(withQuestions)}.`,
			);
		}
		question.answer = value;
	}
	return steps;
}

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

/**
 * A link Identomat sends the person to (from its option or from Custom Flags): http or https only,
 * so a `javascript:` or `data:` link never reaches the person's browser.
 */
function checkWebAddress(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	displayName: string,
	example: string,
) {
	if (value === undefined || (typeof value === 'string' && /^https?:\/\/[^\s/]/i.test(value)))
		return;
	throw new NodeOperationError(
		ctx.getNode(),
		`"${displayName}" in ${itemLabel(itemIndex)} is not a web address`,
		{ itemIndex, description: `Start it with https:// (or http://), e.g. ${example}.` },
	);
}

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
	checkWebAddress(
		this,
		itemIndex,
		flags.return_url,
		'Return URL',
		'{{ $execution.resumeUrl }} from a Wait node',
	);
	checkWebAddress(
		this,
		itemIndex,
		flags.switch_device_url,
		'Switch Device URL',
		'https://crm.example.com/kyc/phone',
	);
	const customSteps =
		jsonParameter<IDataObject[]>(this, itemIndex, options.steps, 'Custom Steps (JSON)', 'array') ??
		[];
	const steps = await prefilledSteps(this, itemIndex, configId, customSteps);

	const fields: IDataObject = {};
	if (configId) fields.config_id = configId;
	if (Object.keys(flags).length) fields.flags = flags;
	if (steps.length) fields.steps = steps;
	const parent = optionalText(this, itemIndex, 'options.parentSessionId');
	if (parent) fields.parent_session_id = parent;

	const sessionId = await callEndpoint<string>(this, endpoint, {
		fields,
		itemIndex,
	});
	const credentials = await identomatCredentials(this);
	return [{ json: { sessionId, sessionUrl: sessionUrl(credentials, sessionId) } }];
}
