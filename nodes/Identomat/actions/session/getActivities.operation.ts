import type { IDataObject } from 'n8n-workflow';

import { resultOf } from '../../../shared/api/call';
import { sessionOperation } from '../shared/sessionOperation';

/** One item per activity (`{id, type, time, data}`), oldest first as sent. */
export const { option, endpoint, properties, execute } = sessionOperation(
	{
		name: 'Get Activities',
		value: 'getActivities',
		action: 'Get the activities of a session',
		description: 'List what happened in the session, one item per activity',
	},
	'sessionActivities',
	{
		toItems(answer, { sessionId, unreadable }) {
			const activities = resultOf<unknown>(answer);
			if (!Array.isArray(activities)) throw unreadable('it holds no list of activities');
			return activities.map((activity) => ({ json: { sessionId, ...(activity as IDataObject) } }));
		},
	},
);
