/** The seeded initial state (what reset() returns to): the reference's example records. */
import * as examples from './examples.ts';
import { monitoringKey } from './screening.ts';
import type { State } from './types.ts';

const USERS = [
	{ id: '64f0c0a1e4b0a1b2c3d4e501', username: 'admin@example.com', roles: ['administrator', 'operator', 'call_center_operator'], firstName: 'Ada', lastName: 'Admin', emailVerified: true },
	{ id: '64f0c0a1e4b0a1b2c3d4e502', username: 'user1@example.com', roles: ['operator'], firstName: 'Olive', lastName: 'Operator', emailVerified: true },
	{ id: '64f0c0a1e4b0a1b2c3d4e503', username: 'user2@example.com', roles: ['call_center_operator'], firstName: 'Carl', lastName: 'Caller', emailVerified: false },
];

/**
 * The reference's monitoring records, except that the one updated last is a person on the
 * sanctions lists, so the trigger's test event (the newest change, with its screening matches)
 * has what a real alert has.
 */
const MONITORING = [
	{ fullName: 'John Smith1', id: '64ad3b14090678e34512eab8' },
	{ fullName: 'John Smith2', id: '64ad3ef45fcf054afc73ebb4', lastUpdatedDate: '2023-07-01T10:50:42.389Z' },
	{ fullName: 'Ivan Petrovich Sidorov', id: '64ad3f3a8b3f54aca29fc0a2', lastUpdatedDate: '2023-07-20T10:50:42.389Z' },
	{ fullName: 'John Smith4', id: '64ad3f3a8b3f54aca29fc0a3' },
];

function initialState(): State {
	const monitoring = MONITORING.map((r) => ({ ...r, key: monitoringKey(r.fullName, undefined) }));
	return {
		sessions: new Map(),
		configs: new Map([[examples.sessionConfig.id, structuredClone(examples.sessionConfig)]]),
		users: structuredClone(USERS),
		groups: [{ id: '650976e8dc32104b8bb1757e', name: 'group_name', memberIds: [USERS[1].id, USERS[2].id] }],
		blacklist: [
			{
				firstName: 'John',
				lastName: 'Doe',
				documentNumber: '123ABC123',
				personalNumber: '012345678901',
				birthday: '1980-01-01T00:00:00.000Z',
				notes: null,
				reason: 'Reason for adding to blacklist',
				id: '682b09e4400b3a00067ebcf7',
			},
		],
		monitoring,
		monitoringKeys: new Set(monitoring.map((r) => r.key)),
		seeded: 0,
	};
}

export { initialState };
