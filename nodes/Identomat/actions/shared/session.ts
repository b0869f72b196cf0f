import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { type IdentomatCall, sessionFields } from '../../transport';
import type { Host } from '../../transport/dialect';
import { getSessionId } from './parameters';

/**
 * The call of an operation about one session: the item's Session ID under the host's field name
 * (`session_token` or `sessionId`), plus any other fields. Only reads unless `readOnly` is false.
 */
export function sessionCall(
	ctx: IExecuteFunctions,
	itemIndex: number,
	host: Host,
	path: string,
	options: { readOnly?: boolean; fields?: IDataObject } = {},
): { sessionId: string; call: IdentomatCall } {
	const sessionId = getSessionId(ctx, itemIndex);
	const fields = { ...sessionFields(host, sessionId), ...options.fields };
	return { sessionId, call: { host, path, fields, readOnly: options.readOnly ?? true, itemIndex } };
}
