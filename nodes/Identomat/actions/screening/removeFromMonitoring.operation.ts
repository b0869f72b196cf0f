import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { callIdentomat } from '../../transport';
import { requiredText } from '../common';

const properties: INodeProperties[] = [
	{
		displayName: 'Monitoring ID',
		name: 'monitoringId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 64ad3b14090678e34512eab8',
		description: 'ID of the monitored query, as returned by Add to Monitoring or Get Many Monitored',
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['screening'], operation: ['removeFromMonitoring'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const monitoringId = requiredText(this, itemIndex, 'monitoringId', 'Monitoring ID');
	await callIdentomat(this, {
		host: 'api',
		path: 'remove-screening-query-from-monitoring',
		fields: { id: monitoringId },
		readOnly: false,
		itemIndex,
		action: 'Screening → Remove From Monitoring',
	});
	return [{ json: { deleted: true, monitoringId } }];
}
