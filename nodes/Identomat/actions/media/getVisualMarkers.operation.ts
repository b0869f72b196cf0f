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
	{ show: { resource: ['media'], operation: ['getVisualMarkers'] } },
	properties,
);

/** Images of the document's security features, as nested arrays of data URIs (errata 7). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	return await dataUriItems(
		this,
		{
			host: 'api',
			path: 'get-visual-markers',
			fields: sessionFields('api', sessionId),
			readOnly: true,
			itemIndex,
			action: 'Session Media → Get Visual Markers',
		},
		{ sessionId, name: 'visual-marker' },
		'visual marker',
		(index) => `${sessionId}-visual-marker-${index + 1}`,
	);
}
