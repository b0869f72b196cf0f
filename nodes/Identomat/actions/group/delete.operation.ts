import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { callIdentomat } from '../../transport';
import { getGroupId, groupField } from './fields';

export const description = updateDisplayOptions({ show: { resource: ['group'], operation: ['delete'] } }, [groupField]);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const groupId = getGroupId(this, itemIndex);
	await callIdentomat(this, {
		host: 'api',
		path: 'delete-group',
		fields: { groupId },
		readOnly: false,
		itemIndex,
		action: 'Group → Delete',
	});
	return [{ json: { deleted: true, groupId } }];
}
