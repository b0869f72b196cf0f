import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { callEndpoint, resultOf } from '../../../shared/api/call';
import { requiredText } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Get',
	value: 'get',
	action: 'Get a session configuration',
	description: 'Get the steps and settings of a flow built in the no-code builder',
};

export const endpoint = 'sessionConfiguration' satisfies EndpointName;

export const properties: INodeProperties[] = [
	{
		displayName: 'Configuration ID',
		name: 'sessionConfigId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 62412c096c4b39ba845d4bf2',
		description: "ID of a flow saved in Identomat's no-code builder (24 hexadecimal characters)",
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionConfigId = requiredText(this, itemIndex, 'sessionConfigId', 'Configuration ID');
	const answer = await callEndpoint(this, endpoint, {
		fields: { sessionConfigId },
		itemIndex,
	});
	return [{ json: resultOf<IDataObject>(answer) }];
}
