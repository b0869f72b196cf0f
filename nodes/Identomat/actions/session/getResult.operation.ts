import type { IDataObject } from 'n8n-workflow';

import { outputProperties, shapeOutput } from '../shared/output';
import { sessionOperation } from '../shared/sessionOperation';

export const { option, endpoint, properties, execute } = sessionOperation(
	{
		name: 'Get Result',
		value: 'getResult',
		action: 'Get the result of a session',
		description: 'Read the decision (approved, rejected …) and the extracted data of a session',
	},
	'sessionResult',
	{
		properties: outputProperties(
			'The decision and the ten fields a flow usually branches on: result, reject reason, similarity, liveness, name, birthday, document type, number and expiry',
		),
		toItems(answer, { ctx, itemIndex, sessionId }) {
			const result = answer as Result;
			const json = shapeOutput(
				ctx,
				itemIndex,
				{ sessionId, ...result },
				() => simplifyResult(sessionId, result),
				['sessionId'],
			);
			return [{ json }];
		},
	},
);

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
