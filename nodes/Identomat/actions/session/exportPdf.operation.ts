import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { downloadItems } from '../../files/downloads';
import { outputBinaryField, sessionIdField } from '../shared/fields';
import { itemLabel, fileOutputOf, getSessionId } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Export PDF',
	value: 'exportPdf',
	action: 'Export a session as PDF',
	description:
		'Download a PDF report of the session, with screening results and proof of address if wanted',
};

/** What the PDF includes: Identomat's export flags, each a switch of the same name. */
const INCLUDES: INodeProperties[] = [
	{
		displayName: 'Include Session Data',
		name: 'exportSession',
		type: 'boolean',
		default: true,
		description: 'Whether to include the full session data in the PDF',
	},
	{
		displayName: 'Include Screening Results',
		name: 'exportScreening',
		type: 'boolean',
		default: false,
		description: 'Whether to include the screening (AML) results in the PDF',
	},
	{
		displayName: 'Include Proof of Address',
		name: 'exportProofOfAddress',
		type: 'boolean',
		default: false,
		description: 'Whether to include the proof of address documents in the PDF',
	},
];

export const endpoint = 'exportSessionPdf' satisfies EndpointName;

export const properties: INodeProperties[] = [sessionIdField, ...INCLUDES, outputBinaryField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const include = Object.fromEntries(
		INCLUDES.map((part) => [
			part.name,
			this.getNodeParameter(part.name, itemIndex, part.default) === true,
		]),
	);
	if (!Object.values(include).some(Boolean)) {
		const names = INCLUDES.map((part) => `"${part.displayName}"`);
		throw new NodeOperationError(
			this.getNode(),
			`Nothing to export in ${itemLabel(itemIndex)}: every "Include …" option is off`,
			{
				itemIndex,
				description: `Turn on at least one of ${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}.`,
			},
		);
	}
	const sessionId = getSessionId(this, itemIndex);
	const request = { sessionId, itemIndex, fields: include };
	return await downloadItems(
		this,
		endpoint,
		request,
		{
			sessionId,
			name: 'report',
			content: 'PDF report of the session',
		},
		fileOutputOf(this, itemIndex),
	);
}
