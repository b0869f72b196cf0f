import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import { firstNameField, lastNameField } from '../shared/fields';
import { isoDate, itemLabel, optionalText, requiredText } from '../shared/parameters';
import { addUnlessThere, createdId, stopIfAlreadyThereOption } from '../shared/answers';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Add',
	value: 'add',
	action: 'Add a person to the blacklist',
	description:
		'Flag a person for fraud or other risks by name, personal number, document number or birthday',
};

export const endpoint = 'addBlacklistRecord' satisfies EndpointName;

export const properties: INodeProperties[] = [
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
		displayName:
			'Fill in at least one of First Name, Last Name, Personal Number, Document Number and Birthday',
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
		description: 'Date of birth (ISO 8601, e.g. 1980-01-31)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			stopIfAlreadyThereOption(
				'Stop If Already Listed',
				'a record with the same details is already on the blacklist',
				'alreadyListed',
			),
		],
	},
];

const IDENTITY = ['firstName', 'lastName', 'personalNumber', 'documentNumber'];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const reason = requiredText(this, itemIndex, 'reason', 'Reason');
	const query: IDataObject = {};
	for (const name of IDENTITY) {
		const value = optionalText(this, itemIndex, name);
		if (value) query[name] = value;
	}
	const birthday = isoDate(
		this,
		itemIndex,
		this.getNodeParameter('birthday', itemIndex, ''),
		'Birthday',
	);
	if (birthday) query.birthday = birthday;
	if (Object.keys(query).length === 0) {
		throw new NodeOperationError(
			this.getNode(),
			`No identifying details to blacklist in ${itemLabel(itemIndex)}`,
			{
				itemIndex,
				description:
					'Fill in at least one of First Name, Last Name, Personal Number, Document Number or Birthday, so Identomat can recognise the person.',
			},
		);
	}
	query.reason = reason;
	const json = await addUnlessThere(this, itemIndex, 'alreadyListed', async () => {
		const answer = await callEndpoint(this, endpoint, {
			fields: { query },
			itemIndex,
		});
		return { id: createdId(this, itemIndex, answer) };
	});
	return [{ json }];
}
