import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { dataUriFileItem } from '../../helpers/downloads';
import { sessionFields } from '../../transport';
import { getSessionId, outputBinaryField, sessionIdField } from '../common';

export const description = updateDisplayOptions(
	{ show: { resource: ['media'], operation: ['getDocumentFacePhoto'] } },
	[sessionIdField, outputBinaryField],
);

/** The portrait cut from the main document, sent as a data URI declared text/plain (errata 7). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	return await dataUriFileItem(
		this,
		{
			host: 'api',
			path: 'get-session-main-document-face-photo',
			fields: sessionFields('api', sessionId),
			readOnly: true,
			itemIndex,
			action: 'Session Media → Get Document Face Photo',
		},
		{ sessionId, name: 'document-face' },
		'document face photo',
	);
}
