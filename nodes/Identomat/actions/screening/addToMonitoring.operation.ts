import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import { addUnlessThere, createdId, stopIfAlreadyThereOption } from '../shared/answers';
import { fullNameField, personOptions, personQuery } from './fields';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Add to Monitoring',
	value: 'addToMonitoring',
	action: 'Add a person to monitoring',
	description: 'Keep watching sanctions, PEP and regulatory lists for a person',
};

export const endpoint = 'monitorScreening' satisfies EndpointName;

export const properties: INodeProperties[] = [
	fullNameField,
	{
		...personOptions,
		options: [
			...(personOptions.options as INodeProperties[]),
			stopIfAlreadyThereOption(
				'Stop If Already Monitored',
				'the person is already on monitoring',
				'alreadyMonitored',
			),
		],
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const query = personQuery(this, itemIndex);
	const json = await addUnlessThere(this, itemIndex, 'alreadyMonitored', async () => {
		const answer = await callEndpoint(this, endpoint, {
			fields: { query },
			itemIndex,
		});
		return { monitoringId: createdId(this, itemIndex, answer) };
	});
	return [{ json }];
}
