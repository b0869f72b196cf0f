import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../common';
import * as create from './create.operation';
import * as deleteGroup from './delete.operation';
import * as getMany from './getMany.operation';
import * as update from './update.operation';

export const operations: Record<string, OperationModule> = { create, update, delete: deleteGroup, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['group'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a group',
				description: 'Create a group of users, e.g. to assign sessions to a team',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a group',
				description: 'Permanently delete a group (cannot be undone; its users are kept)',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many groups',
				description: 'List the groups of your company with their members',
			},
			{
				name: 'Update',
				value: 'update',
				action: 'Update a group',
				description: 'Rename a group or replace its members',
			},
		],
		default: 'create',
	},
	...create.description,
	...update.description,
	...deleteGroup.description,
	...getMany.description,
];
