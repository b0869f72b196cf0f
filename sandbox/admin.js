// @ts-check
'use strict';
/** Company administration: groups, users and session configurations. */
const { json, argumentError, internalError, objectId, str } = require('./util');

/** @typedef {{ id: string, name: string, memberIds: string[] }} Group */
/** @typedef {{ id: string, username: string, roles: string[], firstName: string|null, lastName: string|null, emailVerified: boolean }} User */

const RIGHTS = ['call_center_operator', 'operator', 'administrator'];
const WRONG_MEMBERS = () => argumentError('wrong-parameters', { errorSourceGroup: 'service-module-server-external' });

/** memberIds: undefined when absent, null when unusable (not an array of known user ids). @param {any} ctx */
function memberIds(ctx) {
	const v = ctx.fields.memberIds;
	if (v === undefined || v === null) return undefined;
	if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) return null;
	const known = new Set(ctx.sb.state.users.map((/** @type {User} */ u) => u.id));
	return v.every((id) => known.has(id)) ? [...new Set(v)] : null;
}

/** @param {any} ctx @returns {Group|undefined|null} null: no groupId given */
function findGroup(ctx) {
	const id = str(ctx.fields.groupId);
	if (!id) return null;
	return ctx.sb.state.groups.find((/** @type {Group} */ g) => g.id === id);
}

/** @param {any} ctx */
function createUser(ctx) {
	const f = ctx.fields;
	const email = str(f.email);
	if (!email || f.password === undefined || f.password === null) return argumentError('wrong-parameters');
	if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return argumentError('invalid-email-format');
	if (typeof f.password !== 'string') return internalError(`Illegal arguments: ${typeof f.password}, string`);
	if (f.password.length < 8) return argumentError('password-too-short');
	let rights = ['call_center_operator'];
	if (f.rights !== undefined) {
		if (!Array.isArray(f.rights) || f.rights.length === 0 || !f.rights.every((r) => RIGHTS.includes(r))) return argumentError('invalid-rights');
		rights = [...new Set(/** @type {string[]} */ (f.rights))];
	}
	/** @type {User[]} */
	const users = ctx.sb.state.users;
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

const routes = [
	{
		host: 'api',
		path: 'list-groups',
		handler(/** @type {any} */ ctx) {
			/** @type {User[]} */
			const users = ctx.sb.state.users;
			const name = (/** @type {string} */ id) => users.find((u) => u.id === id)?.username;
			return json({
				result: ctx.sb.state.groups.map((/** @type {Group} */ g) => ({
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
		handler(/** @type {any} */ ctx) {
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
		handler(/** @type {any} */ ctx) {
			const group = findGroup(ctx);
			if (group === null) return WRONG_MEMBERS();
			if (!group) return argumentError('not-found');
			const f = ctx.fields;
			const members = memberIds(ctx);
			if (members === null || (f.name !== undefined && !str(f.name))) return WRONG_MEMBERS();
			if (f.name !== undefined) group.name = f.name;
			if (members) group.memberIds = members;
			return json({});
		},
	},
	{
		host: 'api',
		path: 'delete-group',
		handler(/** @type {any} */ ctx) {
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
		handler: (/** @type {any} */ ctx) =>
			json({ result: ctx.sb.state.users.map((/** @type {User} */ u) => ({ id: u.id, username: u.username, roles: [...u.roles] })) }),
	},
	{ host: 'api', path: 'create-user', handler: createUser },
	{
		host: 'api',
		path: 'get-session-config',
		handler(/** @type {any} */ ctx) {
			const id = str(ctx.fields.sessionConfigId);
			if (!id || !/^[0-9a-f]{24}$/.test(id)) return argumentError('wrong-parameters');
			const config = ctx.sb.state.configs.get(id);
			return config ? json({ result: config }) : argumentError('not-found');
		},
	},
];

module.exports = { routes, RIGHTS };
