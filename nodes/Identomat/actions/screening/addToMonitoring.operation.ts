import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callIdentomat } from '../../transport';
import { createdId } from '../shared/answers';
import { fullNameField, personOptions, personQuery } from './fields';
import type { OperationOption } from '../shared/types';

export const option: OperationOption = {
	name: 'Add to Monitoring',
	value: 'addToMonitoring',
	action: 'Add a person to monitoring',
	description: 'Keep watching sanctions, PEP and regulatory lists for a person',
};

export const properties: INodeProperties[] = [fullNameField, personOptions];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const query = personQuery(this, itemIndex);
	const answer = await callIdentomat(this, {
		host: 'api',
		path: 'monitor-screening-query',
		fields: { query },
		readOnly: false,
		itemIndex,
	});
	return [{ json: { monitoringId: createdId(this, itemIndex, answer) } }];
}
