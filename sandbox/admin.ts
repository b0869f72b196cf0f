/** Company administration: groups, users and session configurations. */
import type { Group, Route, RouteContext, User } from './types.ts';
import { json, argumentError, internalError, objectId, str } from './util.ts';

const RIGHTS = ['call_center_operator', 'operator', 'administrator'];
const WRONG_MEMBERS = () => argumentError('wrong-parameters', { errorSourceGroup: 'service-module-server-external' });

/** memberIds: undefined when absent, null when unusable (not an array of known user ids). */
function memberIds(ctx: RouteContext) {
	const v = ctx.fields.memberIds;
	if (v === undefined || v === null) return undefined;
	if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return null;
	const known = new Set(ctx.sb.state.users.map((u) => u.id));
	return v.every((id) => known.has(id)) ? [...new Set(v)] : null;
}

/** The group `groupId` names; null when no groupId is given. */
function findGroup(ctx: RouteContext): Group | undefined | null {
	const id = str(ctx.fields.groupId);
	if (!id) return null;
	return ctx.sb.state.groups.find((g) => g.id === id);
}

function createUser(ctx: RouteContext) {
	const f = ctx.fields;
	const email = str(f.email);
	if (!email || f.password === undefined || f.password === null) return argumentError('wrong-parameters');
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return argumentError('invalid-email-format');
	if (typeof f.password !== 'string') return internalError(`Illegal arguments: ${typeof f.password}, string`);
	if (f.password.length < 8) return argumentError('password-too-short');
	let rights = ['call_center_operator'];
	if (f.rights !== undefined) {
		if (!Array.isArray(f.rights) || f.rights.length === 0 || !f.rights.every((r) => RIGHTS.includes(r))) return argumentError('invalid-rights');
		rights = [...new Set(f.rights as string[])];
	}
	const users: User[] = ctx.sb.state.users;
	if (users.some((u) => u.username.toLowerCase() === email.toLowerCase())) return argumentError('user-already-exists');
	const user = {
		id: objectId(),
		username: email,
		roles: rights,
		firstName: str(f.firstName) ?? null,
		lastName: str(f.lastName) ?? null,
		emailVerified: f.emailVerified === true,
	};
	users.push(user);
	return json({ result: user.id });
}

const routes: Route[] = [
	{
		host: 'api',
		path: 'list-groups',
		handler(ctx: RouteContext) {
			const users: User[] = ctx.sb.state.users;
			const name = (id: string) => users.find((u) => u.id === id)?.username;
			return json({
				result: ctx.sb.state.groups.map((g: Group) => ({
					id: g.id,
					name: g.name,
					members: g.memberIds.map(name).filter(Boolean).map((username) => ({ username })),
				})),
			});
		},
	},
	{
		host: 'api',
		path: 'make-group',
		handler(ctx: RouteContext) {
			const name = str(ctx.fields.name);
			const members = memberIds(ctx);
			if (!name || members === null) return WRONG_MEMBERS();
			const group = { id: objectId(), name, memberIds: members ?? [] };
			ctx.sb.state.groups.push(group);
			return json({ result: { id: group.id } });
		},
	},
	{
		host: 'api',
		path: 'change-group',
		handler(ctx: RouteContext) {
			const group = findGroup(ctx);
			if (group === null) return WRONG_MEMBERS();
			if (!group) return argumentError('not-found');
			const f = ctx.fields;
			const members = memberIds(ctx);
			const name = str(f.name);
			if (members === null || (f.name !== undefined && !name)) return WRONG_MEMBERS();
			if (name) group.name = name;
			if (members) group.memberIds = members;
			return json({});
		},
	},
	{
		host: 'api',
		path: 'delete-group',
		handler(ctx: RouteContext) {
			const group = findGroup(ctx);
			if (group === null) return WRONG_MEMBERS();
			if (!group) return argumentError('not-found');
			ctx.sb.state.groups.splice(ctx.sb.state.groups.indexOf(group), 1);
			return json({});
		},
	},
	{
		host: 'api',
		path: 'list-users',
		handler: (ctx: RouteContext) =>
			json({ result: ctx.sb.state.users.map((u: User) => ({ id: u.id, username: u.username, roles: [...u.roles] })) }),
	},
	{ host: 'api', path: 'create-user', handler: createUser },
	{
		host: 'api',
		path: 'get-session-config',
		handler(ctx: RouteContext) {
			const id = str(ctx.fields.sessionConfigId);
			if (!id || !/^[0-9a-f]{24}$/.test(id)) return argumentError('wrong-parameters');
			const config = ctx.sb.state.configs.get(id);
			return config ? json({ result: config }) : argumentError('not-found');
		},
	},
];

export { routes, RIGHTS };
