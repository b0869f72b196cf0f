import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadItems } from '../../helpers/downloads';
import { outputBinaryField, sessionIdField } from '../shared/fields';
import type { OperationOption } from '../shared/types';
import { sessionCall } from '../shared/session';

export const option: OperationOption = {
	name: 'Get Document Face Photo',
	value: 'getDocumentFacePhoto',
	action: 'Get the face photo from the document',
	description: 'Download the portrait cut out of the main identity document',
};

export const properties: INodeProperties[] = [sessionIdField, outputBinaryField];

/** The portrait cut from the main document, sent as a data URI declared text/plain (docs/identomat-api.md, erratum 7). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const { sessionId, call } = sessionCall(
		this,
		itemIndex,
		'api',
		'get-session-main-document-face-photo',
	);
	return await downloadItems(this, call, 'dataUri', {
		sessionId,
		name: 'document-face',
		label: 'document face photo',
		content: 'portrait cut out of the identity document',
	});
}
