import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { limitRecords } from '../../helpers/pagination';
import { callIdentomat, type IdentomatContext, resultOf } from '../../transport';
import { limitField, returnAllField } from '../shared/fields';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Get Many',
	value: 'getMany',
	action: 'Get many groups',
	description: 'List the groups of your company with their members',
};

export const properties: INodeProperties[] = [returnAllField, limitField];

export interface Group extends IDataObject {
	id: string;
	name: string;
	members?: Array<{ username: string }>;
}

/** Every group of the company (list-groups has no paging). Also feeds the group picker. */
export async function listGroups(ctx: IdentomatContext, itemIndex?: number): Promise<Group[]> {
	const answer = await callIdentomat(ctx, {
		host: 'api',
		path: 'list-groups',
		fields: {},
		readOnly: true,
		itemIndex,
	});
	const groups = resultOf<unknown>(answer);
	return Array.isArray(groups) ? (groups as Group[]) : [];
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const groups = await listGroups(this, itemIndex);
	return limitRecords(this, itemIndex, groups).map((json) => ({ json }));
}
