import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { callIdentomat } from '../../transport';
import { createdId, idList, requiredText } from '../common';
import { membersField } from './fields';

const ACTION = 'Group → Create';

const properties: INodeProperties[] = [
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

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['create'] } }, properties);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const name = requiredText(this, itemIndex, 'name', 'Name');
	const memberIds = idList(this.getNodeParameter('memberIds', itemIndex, []));
	const answer = await callIdentomat(this, {
		host: 'api',
		path: 'make-group',
		fields: { name, memberIds },
		readOnly: false,
		itemIndex,
		action: ACTION,
	});
	return [{ json: { id: createdId(this, itemIndex, ACTION, answer) } }];
}
