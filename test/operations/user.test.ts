/**
 * User on the API host (JSON): Create and Get Many, and the member picker (users loaded from
 * Identomat); with the messages a person reads for an existing email, a short password and bad
 * inputs.
 */
import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { Identomat } from '../../nodes/Identomat/Identomat.node';
import { type OperationArgs, pickerContext, receivedOnApiHost, runOperation, sandboxForFile, SEEDED_USERS } from '../helpers/sandbox';

const { ADMIN, USER1, USER2 } = SEEDED_USERS;

const sb = sandboxForFile();

const user = (...args: OperationArgs) => runOperation(sb, 'user', ...args);

const received = (path: string) => receivedOnApiHost(sb, path);

describe('User → Get Many (no paging: Limit applies here)', () => {
	it('returns one item per user with roles', async () => {
		const [all] = await user('getMany', { returnAll: true });
		const [limited] = await user('getMany', { returnAll: false, limit: 2 });

		expect(received('list-users')).toHaveLength(2);
		expect(all.map((i) => i.json.username)).toEqual(['admin@example.com', 'user1@example.com', 'user2@example.com']);
		expect(all[1].json).toEqual({ id: USER1, username: 'user1@example.com', roles: ['operator'] });
		expect(limited).toHaveLength(2);
	});
});

describe('User → Create', () => {
	const base = { email: 'new.person@example.com', password: 'correct horse', roles: ['operator', 'administrator'] };

	it('creates a user with roles, names and email verified, and returns {id}', async () => {
		const [[item]] = await user('create', {
			...base,
			additionalFields: { firstName: 'New', lastName: 'Person', emailVerified: true },
		});

		const [call] = received('create-user');
		expect(call.fields).toEqual({
			companyKey: sb.companyKey,
			email: 'new.person@example.com',
			password: 'correct horse',
			rights: ['operator', 'administrator'],
			firstName: 'New',
			lastName: 'Person',
			emailVerified: true,
		});
		expect(item.json).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/) });
		expect(sb.state.users.find((u: IDataObject) => u.id === item.json.id)).toMatchObject({
			username: 'new.person@example.com',
			roles: ['operator', 'administrator'],
			emailVerified: true,
		});
	});

	it("leaves the roles to Identomat's default when none are chosen, and sends a number password as text", async () => {
		await user('create', { email: 'n@example.com', password: '={{ 12345678 }}', roles: [] });

		const [call] = received('create-user');
		expect(call.fields).toEqual({ companyKey: sb.companyKey, email: 'n@example.com', password: '12345678' });
		expect(sb.state.users.at(-1).roles).toEqual(['call_center_operator']);
	});

	it('explains an existing email, a short password and a bad email', async () => {
		await expect(user('create', { ...base, email: 'ADMIN@example.com' })).rejects.toThrow(
			'User → Create: A user with this email address already exists',
		);
		await expect(user('create', { ...base, password: 'short' })).rejects.toThrow(
			'User → Create: The password is too short',
		);
		await expect(user('create', { ...base, email: 'not-an-email' })).rejects.toThrow(
			'User → Create: Identomat did not accept the email address',
		);
		await expect(user('create', { ...base, email: '' })).rejects.toThrow('"Email" is empty in item 1');
		await expect(user('create', { ...base, password: '' })).rejects.toThrow('"Password" is empty in item 1');
		expect(received('create-user')).toHaveLength(3);
	});
});

describe('member picker: load options through a real LoadOptionsContext', () => {
	const nodeType = new Identomat();

	it("getUsers lists the sandbox's users (username → ID)", async () => {
		const options: INodePropertyOptions[] = await nodeType.methods.loadOptions.getUsers.call(pickerContext(sb));

		expect(received('list-users')).toHaveLength(1);
		expect(options.map(({ name, value }) => ({ name, value }))).toEqual([
			{ name: 'admin@example.com', value: ADMIN },
			{ name: 'user1@example.com', value: USER1 },
			{ name: 'user2@example.com', value: USER2 },
		]);
		expect(options[1].description).toBe('operator');
	});

	it('explains a wrong company key in the picker too', async () => {
		await expect(nodeType.methods.loadOptions.getUsers.call(pickerContext(sb, 'wrong-key'))).rejects.toThrow(
			'Identomat did not accept the company key',
		);
	});
});
