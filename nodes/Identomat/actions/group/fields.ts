import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { itemLabel } from '../shared/parameters';

/** The group picker and the member picker, shared by Create, Update and Delete. */

export const groupField: INodeProperties = {
	displayName: 'Group',
	name: 'groupId',
	type: 'resourceLocator',
	required: true,
	default: { mode: 'list', value: '' },
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a group...',
			typeOptions: { searchListMethod: 'searchGroups', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 650976e8dc32104b8bb1757e',
		},
	],
	description:
		'The group, from the list or by its ID (24 hexadecimal characters; Group → Get Many shows them)',
};

export function membersField(description: string): INodeProperties {
	return {
		displayName: 'Member Names or IDs',
		name: 'memberIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getUsers' },
		default: [],
		description: `${description}. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	};
}

/** The group ID from the picker (either mode), or from an expression giving the ID itself. */
export function getGroupId(ctx: IExecuteFunctions, itemIndex: number): string {
	const value = ctx.getNodeParameter('groupId', itemIndex, '', { extractValue: true }) as unknown;
	const id = String(
		(typeof value === 'object' && value !== null ? (value as IDataObject).value : value) ?? '',
	).trim();
	if (!id) {
		throw new NodeOperationError(ctx.getNode(), `"Group" is empty in ${itemLabel(itemIndex)}`, {
			itemIndex,
			description:
				'Choose a group from the list, or enter its ID (Group → Get Many shows the IDs).',
		});
	}
	return id;
}
