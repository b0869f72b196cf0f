import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { dataUriItems } from '../../helpers/downloads';
import { sessionFields } from '../../transport';
import { filesOptions, getSessionId, itemLabel, outputFilesField, requiredText, sessionIdField } from '../common';

const properties: INodeProperties[] = [
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
			description: 'Get only this file of the answer (0 = the first). Leave the option out to get every file.',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['media'], operation: ['getQuestionFile'] } },
	properties,
);

function fileIndexOf(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	const raw = (ctx.getNodeParameter('options', itemIndex, {}) as IDataObject).fileIndex;
	if (raw === undefined || raw === null || raw === '') return undefined;
	const value = typeof raw === 'string' ? Number(raw.trim()) : raw;
	if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
		throw new NodeOperationError(ctx.getNode(), `"File Index" in ${itemLabel(itemIndex)} is not a whole number of 0 or more`, {
			itemIndex,
			description: `It is "${String(raw)}". Enter 0 for the first file of the answer, 1 for the second …, or remove the option to get every file.`,
		});
	}
	return value;
}

/** Files a person attached to a questionnaire answer, as nested arrays of data URIs (errata 7). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	const stepKey = requiredText(this, itemIndex, 'stepKey', 'Step Key');
	const questionKey = requiredText(this, itemIndex, 'questionKey', 'Question Key');
	const fileIndex = fileIndexOf(this, itemIndex);
	const fields: IDataObject = { ...sessionFields('api', sessionId), stepKey, questionKey };
	if (fileIndex !== undefined) fields.fileIndex = fileIndex;
	const safeKey = questionKey.replace(/[^A-Za-z0-9._-]+/g, '-');
	const first = fileIndex ?? 0;
	return await dataUriItems(
		this,
		{ host: 'api', path: 'get-question-file', fields, readOnly: true, itemIndex, action: 'Session Media → Get Questionnaire File' },
		{ sessionId, name: safeKey, json: { stepKey, questionKey } },
		'questionnaire file',
		(index) => `${sessionId}-${safeKey}-file-${first + index}`,
		(index) => ({ fileIndex: first + index }),
	);
}
