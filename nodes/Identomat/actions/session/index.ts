import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../common';
import * as create from './create.operation';
import * as deleteSession from './delete.operation';
import * as exportPdf from './exportPdf.operation';
import * as getActivities from './getActivities.operation';
import * as getResult from './getResult.operation';
import * as getStatistics from './getStatistics.operation';

export const operations: Record<string, OperationModule> = {
	create,
	getResult,
	delete: deleteSession,
	exportPdf,
	getActivities,
	getStatistics,
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
				name: 'Export PDF',
				value: 'exportPdf',
				action: 'Export a session as PDF',
				description: 'Download a PDF report of the session, with screening results and proof of address if wanted',
			},
			{
				name: 'Get Activities',
				value: 'getActivities',
				action: 'Get the activities of a session',
				description: 'List what happened in the session, one item per activity',
			},
			{
				name: 'Get Result',
				value: 'getResult',
				action: 'Get the result of a session',
				description: 'Read the decision (approved, rejected …) and the extracted data of a session',
			},
			{
				name: 'Get Statistics',
				value: 'getStatistics',
				action: 'Get the statistics of a session',
				description: 'Get the timings and attempts of the document scan and liveness steps',
			},
		],
		default: 'create',
	},
	...create.description,
	...getResult.description,
	...deleteSession.description,
	...exportPdf.description,
	...getActivities.description,
	...getStatistics.description,
];
