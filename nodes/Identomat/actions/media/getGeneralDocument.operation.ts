import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadItems } from '../../files/downloads';
import { outputBinaryField, sessionIdField } from '../shared/fields';
import { requiredText, fileOutputOf, getSessionId } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Get Proof of Address',
	value: 'getGeneralDocument',
	action: 'Get a proof of address document',
	description: 'Download a proof of address or other general document (image or PDF)',
};

export const endpoint = 'generalDocument' satisfies EndpointName;

export const properties: INodeProperties[] = [
	sessionIdField,
	{
		displayName: 'Document Type',
		name: 'typeId',
		type: 'options',
		required: true,
		options: [
			{ name: 'Bank Statement', value: 'bank-statement' },
			{ name: "Driver's License", value: 'drivers-license' },
			{ name: 'Utility Bill', value: 'utility-bill' },
			{
				name: 'Vehicle Registration Certificate (Back)',
				value: 'vehicle-registration-certificate-back',
			},
			{
				name: 'Vehicle Registration Certificate (Front)',
				value: 'vehicle-registration-certificate-front',
			},
		],
		default: 'utility-bill',
		description: 'Which of the documents the person submitted to download',
	},
	outputBinaryField,
];

/** result/general-document/: an image or a PDF, depending on what the person uploaded (docs/identomat-api.md, erratum 9). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const typeId = requiredText(this, itemIndex, 'typeId', 'Document Type');
	const sessionId = getSessionId(this, itemIndex);
	const request = { sessionId, itemIndex, fields: { typeId } };
	return await downloadItems(
		this,
		endpoint,
		request,
		{
			sessionId,
			name: typeId,
			content: 'proof of address or other document the person submitted',
			json: { typeId },
		},
		fileOutputOf(this, itemIndex),
	);
}
