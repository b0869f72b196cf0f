/**
 * Company administration on the API host (JSON): Blacklist (paging inside `query`, erratum 5),
 * Group (change-group per erratum 2, group picker and member picker loaded from Identomat), User,
 * Configuration; with the messages a person reads for duplicates, unknown IDs and bad inputs.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { Identomat } from '../../nodes/Identomat/Identomat.node';
import { buildAdditionalData, buildWorkflow, runNode } from '../helpers/runner';
import { credentialsOf, receivedOnApiHost, type Received, sandboxForFile } from '../helpers/sandbox';


const GROUP_ID = '650976e8dc32104b8bb1757e';
const ADMIN = '64f0c0a1e4b0a1b2c3d4e501';
const USER1 = '64f0c0a1e4b0a1b2c3d4e502';
const USER2 = '64f0c0a1e4b0a1b2c3d4e503';
const BLACKLISTED = '682b09e4400b3a00067ebcf7';
const CONFIG_ID = '62412c096c4b39ba845d4bf2';

const sb = sandboxForFile();
const credentials = () => credentialsOf(sb);

async function run(
	resource: string,
	operation: string,
	parameters: IDataObject = {},
	items?: INodeExecutionData[],
	continueOnFail = false,
) {
	const [output] = await runNode({
		parameters: { resource, operation, ...parameters },
		credentials: credentials(),
		items,
		continueOnFail,
	});
	return output;
}

const received = (path: string) => receivedOnApiHost(sb, path);

const identomatCalls = () => (sb.requests as Received[]).filter((r) => r.host === 'api' || r.host === 'widget');

/** A resource locator value, as the editor stores it. */
const locator = (value: string, mode: 'list' | 'id' = 'list') => ({ __rl: true, mode, value });

describe('Blacklist → Add', () => {
	it('sends reason and identity fields inside `query` and returns {id}', async () => {
		const [item] = await run('blacklist', 'add', {
			reason: 'Forged passport',
			firstName: ' Jane ',
			lastName: 'Roe',
			personalNumber: '98765432100',
			documentNumber: 'P1234567',
			birthday: '1990-05-14',
		});

		const [call] = received('add-blacklist-record');
		expect(call.fields.query).toEqual({
			firstName: 'Jane',
			lastName: 'Roe',
			personalNumber: '98765432100',
			documentNumber: 'P1234567',
			birthday: '1990-05-14T00:00:00.000Z',
			reason: 'Forged passport',
		});
		expect(Object.keys(call.fields).sort()).toEqual(['companyKey', 'query']);
		expect(item.json).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/) });
		expect(sb.state.blacklist.find((r: IDataObject) => r.id === item.json.id)).toMatchObject({
			lastName: 'Roe',
			reason: 'Forged passport',
		});
	});

	it('accepts one identity field alone, leaving out the empty ones', async () => {
		await run('blacklist', 'add', { reason: 'Chargebacks', documentNumber: 'X1', firstName: '', birthday: '' });
		expect(received('add-blacklist-record')[0].fields.query).toEqual({ documentNumber: 'X1', reason: 'Chargebacks' });
	});

	it('asks for an identity field or a reason before calling Identomat', async () => {
		await expect(run('blacklist', 'add', { reason: 'Fraud', firstName: '  ' })).rejects.toThrow(
			'No identifying details to blacklist in item 1',
		);
		await expect(run('blacklist', 'add', { reason: '', lastName: 'Roe' })).rejects.toThrow('"Reason" is empty in item 1');
		await expect(run('blacklist', 'add', { reason: 'Fraud', birthday: 'soon' })).rejects.toThrow(
			'"Birthday" in item 1 is not a date',
		);
		expect(identomatCalls()).toHaveLength(0);
	});

	it('explains a duplicate; with Continue On Fail the other items are still added', async () => {
		const output = await run(
			'blacklist',
			'add',
			{ reason: 'Fraud', firstName: '={{ $json.first }}', lastName: '={{ $json.last }}', documentNumber: '={{ $json.doc }}', personalNumber: '={{ $json.pn }}', birthday: '={{ $json.born }}' },
			[
				{ json: { first: 'Ann', last: 'Lee', doc: 'A1', pn: '', born: '' } },
				{ json: { first: 'John', last: 'Doe', doc: '123ABC123', pn: '012345678901', born: '1980-01-01' } },
				{ json: { first: '', last: '', doc: '', pn: '', born: '' } },
			],
			true,
		);

		expect(output).toHaveLength(3);
		expect(output[0]).toEqual({ json: { id: expect.any(String) }, pairedItem: { item: 0 } });
		expect(output[1].pairedItem).toEqual({ item: 1 });
		expect(output[1].json).toMatchObject({
			code: 'already-exists',
			error: 'Blacklist → Add: This record already exists in Identomat',
		});
		expect(output[2].pairedItem).toEqual({ item: 2 });
		expect(output[2].json.error).toBe('No identifying details to blacklist in item 3');
		expect(received('add-blacklist-record')).toHaveLength(2);
		expect(sb.state.blacklist).toHaveLength(2);
	});
});

describe('Blacklist → Remove', () => {
	it('removes a record by ID and returns {deleted: true}', async () => {
		const [item] = await run('blacklist', 'remove', { recordId: BLACKLISTED });

		expect(received('remove-blacklist-record').map((c) => c.fields.id)).toEqual([BLACKLISTED]);
		expect(item.json).toEqual({ deleted: true, id: BLACKLISTED });
		expect(sb.state.blacklist).toHaveLength(0);
	});

	it('says so when the record is unknown', async () => {
		await expect(run('blacklist', 'remove', { recordId: '682b09e4400b3a00067effff' })).rejects.toThrow(
			'Blacklist → Remove: Identomat found nothing with this ID',
		);
		await expect(run('blacklist', 'remove', { recordId: '' })).rejects.toThrow('"Record ID" is empty in item 1');
	});
});

describe('Blacklist → Get Many', () => {
	function seedBlacklist(n: number) {
		for (let i = 0; i < n; i++) {
			sb.state.blacklist.push({
				firstName: `Person${i}`,
				lastName: 'Seeded',
				documentNumber: null,
				personalNumber: null,
				birthday: null,
				notes: null,
				reason: 'seeded',
				id: `aaaaaaaaaaaaaaaaaaa${String(i).padStart(5, '0')}`,
			});
		}
	}

	it('pages with offset/limit inside `query` (erratum 5) until the total with Return All', async () => {
		seedBlacklist(249); // 250 with the seeded John Doe

		const output = await run('blacklist', 'getMany', { returnAll: true });

		const calls = received('list-blacklist-records');
		// Each page after the first reads the last 10 records again, to check nothing shifted.
		expect(calls.map((c) => c.fields.query)).toEqual([
			{ offset: 0, limit: 100 },
			{ offset: 90, limit: 110 },
			{ offset: 190, limit: 110 },
		]);
		expect(calls.every((c) => !('offset' in c.fields) && !('limit' in c.fields))).toBe(true);
		expect(output).toHaveLength(250);
		expect(new Set(output.map((i) => i.json.id)).size).toBe(250);
		expect(output[0].json).toEqual({
			firstName: 'John',
			lastName: 'Doe',
			documentNumber: '123ABC123',
			personalNumber: '012345678901',
			birthday: '1980-01-01T00:00:00.000Z',
			notes: null,
			reason: 'Reason for adding to blacklist',
			id: BLACKLISTED,
		});
	});

	it('asks only for what Limit needs', async () => {
		seedBlacklist(249);

		const output = await run('blacklist', 'getMany', { returnAll: false, limit: 30 });

		expect(received('list-blacklist-records').map((c) => c.fields.query)).toEqual([{ offset: 0, limit: 30 }]);
		expect(output).toHaveLength(30);
	});
});

describe('Group → Create', () => {
	it('creates a group with members chosen from the list and returns {id}', async () => {
		const [item] = await run('group', 'create', { name: 'Fraud Team', memberIds: [USER1, ADMIN] });

		const [call] = received('make-group');
		expect(call.fields).toEqual({ companyKey: sb.companyKey, name: 'Fraud Team', memberIds: [USER1, ADMIN] });
		expect(item.json).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/) });
		expect(sb.state.groups.find((g: IDataObject) => g.id === item.json.id)).toEqual({
			id: item.json.id,
			name: 'Fraud Team',
			memberIds: [USER1, ADMIN],
		});
	});

	it('takes member IDs from an expression as comma-separated text, and no members at all', async () => {
		await run('group', 'create', { name: 'From CSV', memberIds: `={{ "${USER1}, ${USER2},," }}` });
		await run('group', 'create', { name: 'Empty' });

		expect(received('make-group').map((c) => c.fields.memberIds)).toEqual([[USER1, USER2], []]);
	});

	it('explains an unknown member and an empty name', async () => {
		await expect(run('group', 'create', { name: 'Team', memberIds: ['ffffffffffffffffffffffff'] })).rejects.toThrow(
			'Group → Create: Identomat rejected the parameters of this request',
		);
		await expect(run('group', 'create', { name: ' ' })).rejects.toThrow('"Name" is empty in item 1');
	});
});

describe('Group → Update', () => {
	it('posts to change-group (erratum 2) with the group from the list, and returns {updated: true}', async () => {
		const [item] = await run('group', 'update', {
			groupId: locator(GROUP_ID),
			updateFields: { name: 'Renamed', memberIds: [ADMIN] },
		});

		expect(received('make-group')).toHaveLength(0);
		const [call] = received('change-group');
		expect(call.fields).toEqual({ companyKey: sb.companyKey, groupId: GROUP_ID, name: 'Renamed', memberIds: [ADMIN] });
		expect(item.json).toEqual({ updated: true, groupId: GROUP_ID });
		expect(sb.state.groups[0]).toEqual({ id: GROUP_ID, name: 'Renamed', memberIds: [ADMIN] });
	});

	it('takes the group by ID and sends only the fields given', async () => {
		await run('group', 'update', { groupId: locator(` ${GROUP_ID} `, 'id'), updateFields: { name: 'Only Name' } });

		expect(received('change-group')[0].fields).toEqual({ companyKey: sb.companyKey, groupId: GROUP_ID, name: 'Only Name' });
		expect(sb.state.groups[0].memberIds).toEqual([USER1, USER2]);
	});

	it('asks for something to update, and for a group', async () => {
		await expect(run('group', 'update', { groupId: locator(GROUP_ID), updateFields: {} })).rejects.toThrow(
			'Nothing to update in item 1',
		);
		await expect(run('group', 'update', { groupId: locator(GROUP_ID), updateFields: { name: '' } })).rejects.toThrow(
			'"Name" is empty in item 1',
		);
		await expect(run('group', 'update', { groupId: locator('', 'id'), updateFields: { name: 'X' } })).rejects.toThrow(
			'"Group" is empty in item 1',
		);
		expect(identomatCalls()).toHaveLength(0);
	});

	it('says so when the group is unknown', async () => {
		await expect(
			run('group', 'update', { groupId: locator('650976e8dc32104b8bb1ffff', 'id'), updateFields: { name: 'X' } }),
		).rejects.toThrow('Group → Update: Identomat found nothing with this ID');
	});
});

describe('Group → Delete', () => {
	it('deletes the group and returns {deleted: true}', async () => {
		const [item] = await run('group', 'delete', { groupId: locator(GROUP_ID) });

		expect(received('delete-group').map((c) => c.fields)).toEqual([{ companyKey: sb.companyKey, groupId: GROUP_ID }]);
		expect(item.json).toEqual({ deleted: true, groupId: GROUP_ID });
		expect(sb.state.groups).toHaveLength(0);
	});

	it('says so when the group is unknown; Continue On Fail pairs the error to its item', async () => {
		const output = await run(
			'group',
			'delete',
			{ groupId: locator('={{ $json.id }}', 'id') },
			[{ json: { id: '650976e8dc32104b8bb1ffff' } }, { json: { id: GROUP_ID } }],
			true,
		);

		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({ code: 'not-found', error: 'Group → Delete: Identomat found nothing with this ID' });
		expect(output[1]).toEqual({ json: { deleted: true, groupId: GROUP_ID }, pairedItem: { item: 1 } });
	});
});

describe('Group → Get Many and User → Get Many (no paging: Limit applies here)', () => {
	it('returns one item per group, members included', async () => {
		sb.state.groups.push({ id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Second', memberIds: [] });

		const all = await run('group', 'getMany', { returnAll: true });
		const limited = await run('group', 'getMany', { returnAll: false, limit: 1 });

		expect(received('list-groups')).toHaveLength(2);
		expect(all.map((i) => i.json)).toEqual([
			{ id: GROUP_ID, name: 'group_name', members: [{ username: 'user1@example.com' }, { username: 'user2@example.com' }] },
			{ id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Second', members: [] },
		]);
		expect(limited.map((i) => i.json.id)).toEqual([GROUP_ID]);
	});

	it('returns one item per user with roles', async () => {
		const all = await run('user', 'getMany', { returnAll: true });
		const limited = await run('user', 'getMany', { returnAll: false, limit: 2 });

		expect(received('list-users')).toHaveLength(2);
		expect(all.map((i) => i.json.username)).toEqual(['admin@example.com', 'user1@example.com', 'user2@example.com']);
		expect(all[1].json).toEqual({ id: USER1, username: 'user1@example.com', roles: ['operator'] });
		expect(limited).toHaveLength(2);
	});
});

describe('User → Create', () => {
	const base = { email: 'new.person@example.com', password: 'correct horse', roles: ['operator', 'administrator'] };

	it('creates a user with roles, names and email verified, and returns {id}', async () => {
		const [item] = await run('user', 'create', {
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
		await run('user', 'create', { email: 'n@example.com', password: '={{ 12345678 }}', roles: [] });

		const [call] = received('create-user');
		expect(call.fields).toEqual({ companyKey: sb.companyKey, email: 'n@example.com', password: '12345678' });
		expect(sb.state.users.at(-1).roles).toEqual(['call_center_operator']);
	});

	it('explains an existing email, a short password and a bad email', async () => {
		await expect(run('user', 'create', { ...base, email: 'ADMIN@example.com' })).rejects.toThrow(
			'User → Create: A user with this email address already exists',
		);
		await expect(run('user', 'create', { ...base, password: 'short' })).rejects.toThrow(
			'User → Create: The password is too short',
		);
		await expect(run('user', 'create', { ...base, email: 'not-an-email' })).rejects.toThrow(
			'User → Create: Identomat did not accept the email address',
		);
		await expect(run('user', 'create', { ...base, email: '' })).rejects.toThrow('"Email" is empty in item 1');
		await expect(run('user', 'create', { ...base, password: '' })).rejects.toThrow('"Password" is empty in item 1');
		expect(received('create-user')).toHaveLength(3);
	});
});

describe('Configuration → Get', () => {
	it('returns the configuration', async () => {
		const [item] = await run('configuration', 'get', { sessionConfigId: CONFIG_ID });

		expect(received('get-session-config').map((c) => c.fields.sessionConfigId)).toEqual([CONFIG_ID]);
		expect(item.json).toEqual(sb.state.configs.get(CONFIG_ID));
		expect(item.json).toMatchObject({ id: CONFIG_ID, steps: expect.any(Array) });
	});

	it('says so for an unknown or malformed ID', async () => {
		await expect(run('configuration', 'get', { sessionConfigId: '62412c096c4b39ba845dffff' })).rejects.toThrow(
			'Configuration → Get: Identomat found nothing with this ID',
		);
		await expect(run('configuration', 'get', { sessionConfigId: 'nope' })).rejects.toThrow(
			'Configuration → Get: Identomat rejected the parameters of this request',
		);
		await expect(run('configuration', 'get', { sessionConfigId: '' })).rejects.toThrow(
			'"Configuration ID" is empty in item 1',
		);
	});
});

describe('pickers: load options and list search through a real LoadOptionsContext', () => {
	const nodeType = new Identomat();

	function loadOptionsContext(apiKey = sb.companyKey) {
		const node: INode = {
			id: 'node-under-test',
			name: 'Identomat',
			type: 'n8n-nodes-identomat.identomat',
			typeVersion: 1,
			position: [0, 0],
			parameters: { resource: 'group', operation: 'update' },
			credentials: { identomatApi: { id: '1', name: 'Identomat account' } },
		};
		const workflow = buildWorkflow(node, nodeType);
		const additionalData = buildAdditionalData('identomatApi', { ...credentials(), apiKey });
		return new LoadOptionsContext(workflow, workflow.getNode(node.name)!, additionalData, 'parameters.groupId');
	}

	it('every loadOptionsMethod and searchListMethod of the description exists', () => {
		const used: Array<[string, string]> = [];
		const walk = (props: INodeProperties[]) => {
			for (const p of props) {
				if (p.typeOptions?.loadOptionsMethod) used.push(['loadOptions', p.typeOptions.loadOptionsMethod]);
				for (const mode of p.modes ?? []) {
					if (mode.typeOptions?.searchListMethod) used.push(['listSearch', mode.typeOptions.searchListMethod]);
				}
				if (p.options) walk(p.options.filter((o): o is INodeProperties => 'type' in o && 'displayName' in o));
			}
		};
		walk(nodeType.description.properties);
		expect(used).toEqual(expect.arrayContaining([['loadOptions', 'getUsers'], ['listSearch', 'searchGroups']]));
		for (const [kind, name] of used) {
			expect(typeof (nodeType.methods[kind as 'loadOptions' | 'listSearch'] as Record<string, unknown>)[name]).toBe(
				'function',
			);
		}
	});

	it("getUsers lists the sandbox's users (username → ID)", async () => {
		const options: INodePropertyOptions[] = await nodeType.methods.loadOptions.getUsers.call(loadOptionsContext());

		expect(received('list-users')).toHaveLength(1);
		expect(options.map(({ name, value }) => ({ name, value }))).toEqual([
			{ name: 'admin@example.com', value: ADMIN },
			{ name: 'user1@example.com', value: USER1 },
			{ name: 'user2@example.com', value: USER2 },
		]);
		expect(options[1].description).toBe('operator');
	});

	it("getGroups lists the sandbox's groups (name → ID), including ones just created", async () => {
		await run('group', 'create', { name: 'Another Team', memberIds: [ADMIN] });

		const options = await nodeType.methods.loadOptions.getGroups.call(loadOptionsContext());

		expect(received('list-groups')).toHaveLength(1);
		expect(options.map(({ name }) => name)).toEqual(['Another Team', 'group_name']);
		expect(options.find((o) => o.name === 'group_name')).toEqual({
			name: 'group_name',
			value: GROUP_ID,
			description: '2 member(s)',
		});
	});

	it('searchGroups filters by name or ID, case-insensitively', async () => {
		const context = loadOptionsContext();
		sb.state.groups.push({ id: 'cccccccccccccccccccccccc', name: 'Compliance', memberIds: [] });

		expect((await nodeType.methods.listSearch.searchGroups.call(context)).results).toHaveLength(2);
		expect((await nodeType.methods.listSearch.searchGroups.call(context, 'COMPLI')).results).toEqual([
			{ name: 'Compliance', value: 'cccccccccccccccccccccccc' },
		]);
		expect((await nodeType.methods.listSearch.searchGroups.call(context, GROUP_ID.slice(0, 8))).results).toEqual([
			{ name: 'group_name', value: GROUP_ID },
		]);
		expect((await nodeType.methods.listSearch.searchGroups.call(context, 'nothing like it')).results).toEqual([]);
	});

	it('explains a wrong company key in the picker too', async () => {
		await expect(nodeType.methods.loadOptions.getUsers.call(loadOptionsContext('wrong-key'))).rejects.toThrow(
			'Identomat did not accept the company key',
		);
	});
});
