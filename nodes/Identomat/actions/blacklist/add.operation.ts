import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { callIdentomat } from '../../transport';
import { createdId, firstNameField, isoDate, itemLabel, lastNameField, requiredText } from '../common';

const ACTION = 'Blacklist → Add';

const properties: INodeProperties[] = [
	{
		displayName: 'Reason',
		name: 'reason',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Forged documents in session 47fjzxvv…',
		description: 'Why the person is blacklisted, shown to your team in Identomat',
	},
	{
		displayName: 'Fill in at least one of First Name, Last Name, Personal Number, Document Number and Birthday',
		name: 'identityNotice',
		type: 'notice',
		default: '',
	},
	firstNameField,
	lastNameField,
	{
		displayName: 'Personal Number',
		name: 'personalNumber',
		type: 'string',
		default: '',
		placeholder: 'e.g. 12345678901',
		description: 'National personal identification number',
	},
	{
		displayName: 'Document Number',
		name: 'documentNumber',
		type: 'string',
		default: '',
		placeholder: 'e.g. 123ABC123',
		description: 'Number of an ID card, passport or other identity document',
	},
	{
		displayName: 'Birthday',
		name: 'birthday',
		type: 'dateTime',
		default: '',
	},
];

export const description = updateDisplayOptions({ show: { resource: ['blacklist'], operation: ['add'] } }, properties);

const IDENTITY: Array<[name: string, displayName: string]> = [
	['firstName', 'First Name'],
	['lastName', 'Last Name'],
	['personalNumber', 'Personal Number'],
	['documentNumber', 'Document Number'],
];

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const reason = requiredText(this, itemIndex, 'reason', 'Reason');
	const query: IDataObject = {};
	for (const [name] of IDENTITY) {
		const value = String(this.getNodeParameter(name, itemIndex, '') ?? '').trim();
		if (value) query[name] = value;
	}
	const birthday = isoDate(this, itemIndex, this.getNodeParameter('birthday', itemIndex, ''), 'Birthday');
	if (birthday) query.birthday = birthday;
	if (Object.keys(query).length === 0) {
		throw new NodeOperationError(this.getNode(), `No identifying details to blacklist in ${itemLabel(itemIndex)}`, {
			itemIndex,
			description:
				'Fill in at least one of First Name, Last Name, Personal Number, Document Number or Birthday, so Identomat can recognise the person.',
		});
	}
	query.reason = reason;
	const answer = await callIdentomat(this, {
		host: 'api',
		path: 'add-blacklist-record',
		fields: { query },
		readOnly: false,
		itemIndex,
		action: ACTION,
	});
	return [{ json: { id: createdId(this, itemIndex, ACTION, answer) } }];
}
