import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { groups as listGroups, users as listUsers } from '../../shared/api/lists';

/** Options of the group and member pickers, loaded from Identomat (list-groups, list-users). */

export async function getGroups(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const groups = await listGroups(this);
	return groups
		.map((group) => ({
			name: String(group.name ?? group.id),
			value: String(group.id),
			description: `${group.members?.length ?? 0} member(s)`,
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export async function getUsers(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const users = await listUsers(this);
	return users
		.map((user) => ({
			name: String(user.username ?? user.id),
			value: String(user.id),
			description: (user.roles ?? []).join(', '),
		}))
		.sort((a, b) => a.name.localeCompare(b.name));
}
