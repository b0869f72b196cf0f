import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { downloadItems } from '../../helpers/downloads';
import { sessionFields } from '../../transport';
import { outputBinaryField, sessionIdField } from '../shared/fields';
import { getSessionId, requiredText } from '../shared/parameters';
import type { OperationOption } from '../shared/types';

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

export const option: OperationOption = {
	name: 'Get Proof of Address',
	value: 'getGeneralDocument',
	action: 'Get a proof of address document',
	description: 'Download a proof of address or other general document (image or PDF)',
};

/** result/general-document/: an image or a PDF, depending on what the person uploaded (docs/identomat-api.md, erratum 9). */
export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	const typeId = requiredText(this, itemIndex, 'typeId', 'Document Type');
	return await downloadItems(
		this,
		{
			host: 'widget',
			path: 'result/general-document/',
			fields: { ...sessionFields('widget', sessionId), typeId },
			readOnly: true,
			itemIndex,
		},
		'file',
		{
			sessionId,
			name: typeId,
			content: 'proof of address or other document the person submitted',
			json: { typeId },
		},
	);
}
