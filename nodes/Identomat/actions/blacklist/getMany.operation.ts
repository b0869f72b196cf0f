import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { blacklistKey, blacklistRecords } from '../../../shared/api/lists';
import { paginate } from '../shared/getMany';
import { limitField, returnAllField } from '../shared/fields';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many blacklist records',
	description: "List the records of your company's blacklist",
};

export const endpoint = 'blacklistRecords' satisfies EndpointName;

export const properties: INodeProperties[] = [returnAllField, limitField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const records = await paginate(
		this,
		itemIndex,
		blacklistRecords(this, { itemIndex }),
		blacklistKey,
	);
	return records.map((json) => ({ json: json as IDataObject }));
}
