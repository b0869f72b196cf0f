import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../common';
import * as add from './add.operation';
import * as getMany from './getMany.operation';
import * as remove from './remove.operation';

export const operations: Record<string, OperationModule> = { add, remove, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['blacklist'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				action: 'Add a person to the blacklist',
				description: 'Flag a person for fraud or other risks by name, personal number, document number or birthday',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get many blacklist records',
				description: "List the records of your company's blacklist",
			},
			{
				name: 'Remove',
				value: 'remove',
				action: 'Remove a record from the blacklist',
				description: 'Permanently delete a blacklist record (cannot be undone)',
			},
		],
		default: 'add',
	},
	...add.description,
	...remove.description,
	...getMany.description,
];
