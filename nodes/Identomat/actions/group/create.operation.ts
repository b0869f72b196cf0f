import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import { idList, requiredText } from '../shared/parameters';
import { createdId } from '../shared/answers';
import { membersField } from './fields';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Create',
	value: 'create',
	action: 'Create a group',
	description: 'Create a group of users, e.g. to assign sessions to a team',
};

export const endpoint = 'createGroup' satisfies EndpointName;

export const properties: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Fraud Team',
		description: 'Name of the new group',
	},
	membersField('Users to put in the group'),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const name = requiredText(this, itemIndex, 'name', 'Name');
	const memberIds = idList(this.getNodeParameter('memberIds', itemIndex, []));
	const answer = await callEndpoint(this, endpoint, {
		fields: { name, memberIds },
		itemIndex,
	});
	return [{ json: { id: createdId(this, itemIndex, answer) } }];
}
