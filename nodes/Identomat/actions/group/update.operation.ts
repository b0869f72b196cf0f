import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import { idList, itemLabel, optionalText } from '../shared/parameters';
import { getGroupId, groupField, membersField } from './fields';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Update',
	value: 'update',
	action: 'Update a group',
	description: 'Rename a group or replace its members',
};

export const endpoint = 'updateGroup' satisfies EndpointName;

export const properties: INodeProperties[] = [
	groupField,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'e.g. Fraud Team',
				description: 'New name of the group',
			},
			membersField(
				'The complete new list of members: users left out are removed from the group, so include the current members you want to keep',
			),
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const groupId = getGroupId(this, itemIndex);
	const updates = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	const fields: IDataObject = { groupId };
	if (updates.name !== undefined) {
		const name = optionalText(this, itemIndex, 'updateFields.name');
		if (!name) {
			throw new NodeOperationError(this.getNode(), `"Name" is empty in ${itemLabel(itemIndex)}`, {
				itemIndex,
				description:
					'Enter the new name of the group, or remove "Name" from Update Fields to keep the current one.',
			});
		}
		fields.name = name;
	}
	if (updates.memberIds !== undefined) fields.memberIds = idList(updates.memberIds);
	if (Object.keys(fields).length === 1) {
		throw new NodeOperationError(this.getNode(), `Nothing to update in ${itemLabel(itemIndex)}`, {
			itemIndex,
			description: 'Add "Name" or "Member Names or IDs" under Update Fields.',
		});
	}
	await callEndpoint(this, endpoint, {
		fields,
		itemIndex,
	});
	return [{ json: { updated: true, groupId } }];
}
