import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { callIdentomat } from '../../transport';
import { isoDate, requiredText } from '../shared/parameters';
import { createdId } from '../shared/answers';
import { birthdayFromOption, fullNameField } from './fields';
import type { OperationOption } from '../shared/types';

export const properties: INodeProperties[] = [
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

export const option: OperationOption = {
	name: 'Add to Monitoring',
	value: 'addToMonitoring',
	action: 'Add a person to monitoring',
	description: 'Keep watching sanctions, PEP and regulatory lists for a person',
};

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
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
	});
	return [{ json: { monitoringId: createdId(this, itemIndex, answer) } }];
}
