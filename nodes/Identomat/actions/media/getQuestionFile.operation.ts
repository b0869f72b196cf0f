import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { downloadItems } from '../../files/downloads';
import { filesOptions, outputFilesField, sessionIdField } from '../shared/fields';
import { optionalNumber, requiredText, fileOutputOf, getSessionId } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Get Questionnaire File',
	value: 'getQuestionFile',
	action: 'Get a questionnaire file',
	description: 'Download the files the person attached to a questionnaire answer',
};

export const endpoint = 'questionFile' satisfies EndpointName;

export const properties: INodeProperties[] = [
	sessionIdField,
	{
		displayName: 'Step Key',
		name: 'stepKey',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. user-questionnaire-1',
		description: 'Key of the questionnaire step, as in the session result under questionnaires',
	},
	{
		displayName: 'Question Key',
		name: 'questionKey',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. question-1',
		description: 'Key of the question within that step',
	},
	outputFilesField,
	filesOptions([
		{
			displayName: 'File Index',
			name: 'fileIndex',
			type: 'number',
			typeOptions: { minValue: 0, numberPrecision: 0 },
			default: 0,
			description:
				'Get only this file of the answer (0 = the first). Leave the option out to get every file.',
		},
	]),
];

/** Files a person attached to a questionnaire answer, as nested arrays of data URIs (docs/identomat-api.md, erratum 7). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const stepKey = requiredText(this, itemIndex, 'stepKey', 'Step Key');
	const questionKey = requiredText(this, itemIndex, 'questionKey', 'Question Key');
	const fileIndex = optionalNumber(this, itemIndex, 'options.fileIndex', 'File Index', {
		min: 0,
		whole: true,
		expected: 'a whole number of 0 or more',
		hint: 'Enter 0 for the first file of the answer, 1 for the second …, or remove the option to get every file.',
	});
	const fields: IDataObject = { stepKey, questionKey };
	if (fileIndex !== undefined) fields.fileIndex = fileIndex;
	const sessionId = getSessionId(this, itemIndex);
	const request = { sessionId, itemIndex, fields };
	const safeKey = questionKey.replace(/[^A-Za-z0-9._-]+/g, '-');
	const first = fileIndex ?? 0;
	return await downloadItems(
		this,
		endpoint,
		request,
		{
			sessionId,
			name: safeKey,
			label: 'questionnaire file',
			content: 'file the person attached to a questionnaire answer',
			json: { stepKey, questionKey },
			nameOf: (index) => `${sessionId}-${safeKey}-file-${first + index}`,
			jsonOfFile: (index) => ({ fileIndex: first + index }),
		},
		fileOutputOf(this, itemIndex),
	);
}
