import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { monitoringRecords, monitoringVersion } from '../../../shared/api/lists';
import { paginate } from '../shared/getMany';
import { limitField, returnAllField } from '../shared/fields';
import { isoDate } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Get Many Monitored',
	value: 'getManyMonitored',
	action: 'Get many monitored people',
	description: 'List the people on monitoring, optionally only those updated after a date',
};

export const endpoint = 'monitoringRecords' satisfies EndpointName;

export const properties: INodeProperties[] = [
	returnAllField,
	limitField,
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Updated After',
				name: 'updatedAfter',
				type: 'dateTime',
				default: '',
				description:
					'Only return people whose screening results changed after this date and time (ISO 8601, e.g. 2024-05-01T12:00:00Z)',
			},
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const date = isoDate(this, itemIndex, filters.updatedAfter, 'Updated After');
	const records = await paginate(
		this,
		itemIndex,
		monitoringRecords(this, { date, itemIndex }),
		monitoringVersion,
	);
	return records.map((json) => ({ json: json as IDataObject }));
}
