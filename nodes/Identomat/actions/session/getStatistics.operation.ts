import type { IDataObject } from 'n8n-workflow';

import { resultOf } from '../../../shared/api/call';
import { sessionOperation } from '../shared/sessionOperation';

/** Identomat answers an array holding one summary: the item is that summary. */
export const { option, endpoint, properties, execute } = sessionOperation(
	{
		name: 'Get Statistics',
		value: 'getStatistics',
		action: 'Get the statistics of a session',
		description: 'Get the timings and attempts of the document scan and liveness steps',
	},
	'sessionStatistics',
	{
		toItems(answer, { sessionId, unreadable }) {
			const result = resultOf<unknown>(answer);
			const summary = Array.isArray(result) ? result[0] : result;
			if (typeof summary !== 'object' || summary === null || Array.isArray(summary))
				throw unreadable('it holds no summary');
			return [{ json: { sessionId, ...(summary as IDataObject) } }];
		},
	},
);
