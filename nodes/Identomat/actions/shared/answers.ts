import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { errorPlace, resultOf } from '../../transport';
import { unreadableAnswerError } from '../../transport/errors';

/** The ID of a created record: Identomat answers `{result: "<id>"}` or `{result: {id: "<id>"}}`. */
export function createdId(ctx: IExecuteFunctions, itemIndex: number, answer: unknown): string {
	const result = resultOf<unknown>(answer);
	const id = typeof result === 'object' && result !== null ? (result as IDataObject).id : result;
	if ((typeof id === 'string' && id !== '') || typeof id === 'number') return String(id);
	throw unreadableAnswerError(errorPlace(ctx, itemIndex), 'it carries no ID of the new record');
}
