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
	action: 'Get many users',
	description: 'List the users of your company with their roles',
};

export const properties: INodeProperties[] = [returnAllField, limitField];

export interface User extends IDataObject {
	id: string;
	username: string;
	roles?: string[];
}

/** Every user of the company (list-users has no paging). Also feeds the member picker. */
export async function listUsers(ctx: IdentomatContext, itemIndex?: number): Promise<User[]> {
	const answer = await callIdentomat(ctx, {
		host: 'api',
		path: 'list-users',
		fields: {},
		readOnly: true,
		itemIndex,
	});
	const users = resultOf<unknown>(answer);
	return Array.isArray(users) ? (users as User[]) : [];
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const users = await listUsers(this, itemIndex);
	return limitRecords(this, itemIndex, users).map((json) => ({ json }));
}
