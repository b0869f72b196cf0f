import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { callIdentomat } from '../../transport';
import { createdId, isoDate, requiredText } from '../common';
import { birthdayFromOption, fullNameField } from './fields';

const ACTION = 'Screening → Add to Monitoring';

const properties: INodeProperties[] = [
	fullNameField,
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [birthdayFromOption],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['screening'], operation: ['addToMonitoring'] } },
	properties,
);

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]> {
	const fullName = requiredText(this, itemIndex, 'fullName', 'Full Name');
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const query: IDataObject = { fullName };
	const birthdayTimeFrom = isoDate(this, itemIndex, options.birthdayFrom, 'Birthday From');
	if (birthdayTimeFrom) query.birthdayTimeFrom = birthdayTimeFrom;
	const answer = await callIdentomat(this, {
		host: 'api',
		path: 'monitor-screening-query',
		fields: { query },
		readOnly: false,
		itemIndex,
		action: ACTION,
	});
	return [{ json: { monitoringId: createdId(this, itemIndex, ACTION, answer) } }];
}
