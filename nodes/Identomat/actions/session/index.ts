import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../common';
import * as create from './create.operation';
import * as deleteSession from './delete.operation';
import * as getResult from './getResult.operation';

export const operations: Record<string, OperationModule> = {
	create,
	getResult,
	delete: deleteSession,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['session'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a verification session',
				description: 'Start a KYC session and get the link to send the person to',
			},
			{
				name: 'Delete',
				value: 'delete',
				action: 'Delete a session',
				description: 'Permanently delete all data of a session (cannot be undone)',
			},
			{
				name: 'Get Result',
				value: 'getResult',
				action: 'Get the result of a session',
				description: 'Read the decision (approved, rejected …) and the extracted data of a session',
			},
		],
		default: 'create',
	},
	...create.description,
	...getResult.description,
	...deleteSession.description,
];
