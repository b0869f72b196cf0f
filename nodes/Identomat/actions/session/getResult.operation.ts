import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { callEndpoint } from '../../../shared/api/call';
import { sessionIdField } from '../shared/fields';
import { outputProperties, shapeOutput } from '../shared/output';
import { getSessionId } from '../shared/parameters';
import type { OperationOption } from '../shared/types';
import type { EndpointName } from '../../../shared/api/endpoints';

export const option: OperationOption = {
	name: 'Get Result',
	value: 'getResult',
	action: 'Get the result of a session',
	description: 'Read the decision (approved, rejected …) and the extracted data of a session',
};

export const endpoint = 'sessionResult' satisfies EndpointName;

export const properties: INodeProperties[] = [
	sessionIdField,
	...outputProperties(
		'The decision and the ten fields a flow usually branches on: result, reject reason, similarity, liveness, name, birthday, document type, number and expiry',
	),
];

type Result = IDataObject & {
	result?: string;
	reject_reason?: { value?: string; description?: string };
	person?: IDataObject;
};

/** The ten fields a flow usually branches on; `result` is kept as Identomat sent it, known or not. */
export function simplifyResult(sessionId: string, answer: Result): IDataObject {
	const person = answer.person ?? {};
	return {
		sessionId,
		result: answer.result ?? null,
		rejectReason: answer.reject_reason?.value || null,
		similarity: answer.similarity ?? null,
		live: answer.live ?? null,
		name: answer.name ?? ([person.first_name, person.last_name].filter(Boolean).join(' ') || null),
		birthday: person.birthday_time ?? person.birthday ?? null,
		documentType: answer.document_type ?? null,
		documentNumber: person.document_number ?? null,
		documentExpires: person.document_expires_time ?? person.document_expires ?? null,
	};
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = getSessionId(this, itemIndex);
	const request = { sessionId, itemIndex };
	const answer = await callEndpoint<Result>(this, endpoint, request);
	const json = shapeOutput(
		this,
		itemIndex,
		{ sessionId, ...answer },
		() => simplifyResult(sessionId, answer),
		['sessionId'],
	);
	return [{ json }];
}
