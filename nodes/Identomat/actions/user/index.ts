import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../common';
import * as create from './create.operation';
import * as getMany from './getMany.operation';

export const operations: Record<string, OperationModule> = { create, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a user',
				description: 'Create a user of Identomat Manage with the given roles',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many users',
				description: 'List the users of your company with their roles',
			},
		],
		default: 'create',
	},
	...create.description,
	...getMany.description,
];
