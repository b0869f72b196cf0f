import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadItems } from '../../files/downloads';
import { outputBinaryField, sessionIdField } from '../shared/fields';
import type { OperationOption } from '../shared/types';
import { fileOutputOf, getSessionId } from '../shared/parameters';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Get Document Face Photo',
	value: 'getDocumentFacePhoto',
	action: 'Get the face photo from the document',
	description: 'Download the portrait cut out of the main identity document',
};

export const endpoint = 'documentFacePhoto' satisfies EndpointName;

export const properties: INodeProperties[] = [sessionIdField, outputBinaryField];

/** The portrait cut from the main document, sent as a data URI declared text/plain (docs/identomat-api.md, erratum 7). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	const request = { sessionId, itemIndex };
	return await downloadItems(
		this,
		endpoint,
		request,
		{
			sessionId,
			name: 'document-face',
			label: 'document face photo',
			content: 'portrait cut out of the identity document',
		},
		fileOutputOf(this, itemIndex),
	);
}
