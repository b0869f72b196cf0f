import { sessionOperation } from '../shared/sessionOperation';

export const { option, endpoint, properties, execute } = sessionOperation(
	{
		name: 'Delete',
		value: 'delete',
		action: 'Permanently delete a session and all its data',
		description: 'Permanently delete all data of a session (cannot be undone)',
	},
	'deleteSession',
	{ toItems: (_answer, { sessionId }) => [{ json: { deleted: true, sessionId } }] },
);
