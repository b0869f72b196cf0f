import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { paginate, pageOf } from '../../helpers/pagination';
import { callIdentomat, resultOf } from '../../transport';
import { limitField, returnAllField } from '../shared/fields';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many blacklist records',
	description: "List the records of your company's blacklist",
};

export const properties: INodeProperties[] = [returnAllField, limitField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const records = await paginate<IDataObject>(this, itemIndex, async (offset, limit) => {
		// The paging fields go inside `query` (docs/identomat-api.md, erratum 5); the answer has them at top level.
		const answer = await callIdentomat(this, {
			host: 'api',
			path: 'list-blacklist-records',
			fields: { query: { offset, limit } },
			readOnly: true,
			itemIndex,
		});
		return pageOf<IDataObject>(resultOf(answer));
	});
	return records.map((json) => ({ json }));
}
