import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { limitRecords } from '../../helpers/pagination';
import { callIdentomat, type IdentomatContext, resultOf } from '../../transport';
import { limitField, returnAllField } from '../common';

const properties: INodeProperties[] = [returnAllField, limitField];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['getMany'] } }, properties);

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
		action: 'User → Get Many',
	});
	const users = resultOf<unknown>(answer);
	return Array.isArray(users) ? (users as User[]) : [];
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const users = await listUsers(this, itemIndex);
	return limitRecords(this, itemIndex, users).map((json) => ({ json }));
}
