import type { INodeProperties } from 'n8n-workflow';

import type { OperationModule } from '../common';
import * as addToMonitoring from './addToMonitoring.operation';
import * as getManyMonitored from './getManyMonitored.operation';
import * as getPerson from './getPerson.operation';
import * as removeFromMonitoring from './removeFromMonitoring.operation';
import * as search from './search.operation';

export const operations: Record<string, OperationModule> = {
	search,
	getPerson,
	addToMonitoring,
	removeFromMonitoring,
	getManyMonitored,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['screening'] } },
		options: [
			{
				name: 'Add to Monitoring',
				value: 'addToMonitoring',
				action: 'Add a person to monitoring',
				description: 'Keep watching sanctions, PEP and regulatory lists for a person',
			},
			{
				name: 'Get Many Monitored',
				value: 'getManyMonitored',
				action: 'Get many monitored people',
				description: 'List the people on monitoring, optionally only those updated after a date',
			},
			{
				name: 'Get Person',
				value: 'getPerson',
				action: 'Get a screened person',
				description: 'Get the full profile of a match: positions, aliases, sanctions',
			},
			{
				name: 'Remove From Monitoring',
				value: 'removeFromMonitoring',
				action: 'Remove a person from monitoring',
				description: 'Stop watching a person (their monitoring record is deleted)',
			},
			{
				name: 'Search',
				value: 'search',
				action: 'Search a person in screening lists',
				description: 'Search sanctions, PEP and regulatory lists for a person by name',
			},
		],
		default: 'search',
	},
	...search.description,
	...getPerson.description,
	...addToMonitoring.description,
	...removeFromMonitoring.description,
	...getManyMonitored.description,
];
