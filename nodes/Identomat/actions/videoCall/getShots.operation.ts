import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { dataUriItems } from '../../helpers/downloads';
import { sessionFields } from '../../transport';
import { filesOutputOption, getSessionId, outputFilesField, sessionIdField } from '../common';

const properties: INodeProperties[] = [
	sessionIdField,
	outputFilesField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [filesOutputOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['videoCall'], operation: ['getShots'] } },
	properties,
);

/** Screenshots the operator took during the call, as nested arrays of data URIs (errata 7). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	return await dataUriItems(
		this,
		{
			host: 'api',
			path: 'get-video-call-shots',
			fields: sessionFields('api', sessionId),
			readOnly: true,
			itemIndex,
			action: 'Video Call → Get Shots',
		},
		{ sessionId, name: 'shot' },
		'shot',
		(index) => `${sessionId}-shot-${index + 1}`,
	);
}
