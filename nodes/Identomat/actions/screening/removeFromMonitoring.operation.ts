import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import { requiredText } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Remove From Monitoring',
	value: 'removeFromMonitoring',
	action: 'Permanently remove a person from monitoring',
	description: 'Stop watching a person: their monitoring record is deleted, which cannot be undone',
};

export const endpoint = 'stopMonitoringScreening' satisfies EndpointName;

export const properties: INodeProperties[] = [
	{
		displayName: 'Monitoring ID',
		name: 'monitoringId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 64ad3b14090678e34512eab8',
		description:
			'ID of the monitored query (24 hexadecimal characters), as returned by Add to Monitoring or Get Many Monitored',
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const monitoringId = requiredText(this, itemIndex, 'monitoringId', 'Monitoring ID');
	await callEndpoint(this, endpoint, {
		fields: { id: monitoringId },
		itemIndex,
	});
	return [{ json: { deleted: true, monitoringId } }];
}
