/**
 * Group on the API host (JSON): Create, Update (change-group, erratum 2), Delete and Get Many, and
 * the group picker loaded from Identomat; with the messages a person reads for unknown IDs and bad
 * inputs.
 */
import type { IDataObject } from 'n8n-workflow';

import { Identomat } from '../../nodes/Identomat/Identomat.node';
import {
	identomatRequests,
	type OperationArgs,
	pickerContext,
	receivedOnApiHost,
	runOperation,
	sandboxForFile,
	SEEDED_USERS,
} from '../helpers/sandbox';

const GROUP_ID = '650976e8dc32104b8bb1757e';
const { ADMIN, USER1, USER2 } = SEEDED_USERS;

const sb = sandboxForFile();

const group = (...args: OperationArgs) => runOperation(sb, 'group', ...args);

const received = (path: string) => receivedOnApiHost(sb, path);

/** A resource locator value, as the editor stores it. */
const locator = (value: string, mode: 'list' | 'id' = 'list') => ({ __rl: true, mode, value });

describe('Group → Create', () => {
	it('creates a group with members chosen from the list and returns {id}', async () => {
		const [[item]] = await group('create', { name: 'Fraud Team', memberIds: [USER1, ADMIN] });

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
		await group('create', { name: 'From CSV', memberIds: `={{ "${USER1}, ${USER2},," }}` });
		await group('create', { name: 'Empty' });

		expect(received('make-group').map((c) => c.fields.memberIds)).toEqual([[USER1, USER2], []]);
	});

	it('explains an unknown member and an empty name', async () => {
		await expect(group('create', { name: 'Team', memberIds: ['ffffffffffffffffffffffff'] })).rejects.toThrow(
			'Group → Create: Identomat rejected the parameters of this request',
		);
		await expect(group('create', { name: ' ' })).rejects.toThrow('"Name" is empty in item 1');
	});
});

describe('Group → Update', () => {
	it('posts to change-group (erratum 2) with the group from the list, and returns {updated: true}', async () => {
		const [[item]] = await group('update', {
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
		await group('update', { groupId: locator(` ${GROUP_ID} `, 'id'), updateFields: { name: 'Only Name' } });

		expect(received('change-group')[0].fields).toEqual({ companyKey: sb.companyKey, groupId: GROUP_ID, name: 'Only Name' });
		expect(sb.state.groups[0].memberIds).toEqual([USER1, USER2]);
	});

	it('asks for something to update, and for a group', async () => {
		await expect(group('update', { groupId: locator(GROUP_ID), updateFields: {} })).rejects.toThrow(
			'Nothing to update in item 1',
		);
		await expect(group('update', { groupId: locator(GROUP_ID), updateFields: { name: '' } })).rejects.toThrow(
			'"Name" is empty in item 1',
		);
		await expect(group('update', { groupId: locator('', 'id'), updateFields: { name: 'X' } })).rejects.toThrow(
			'"Group" is empty in item 1',
		);
		expect(identomatRequests(sb)).toHaveLength(0);
	});

	it('says so when the group is unknown', async () => {
		await expect(
			group('update', { groupId: locator('650976e8dc32104b8bb1ffff', 'id'), updateFields: { name: 'X' } }),
		).rejects.toThrow('Group → Update: Identomat found nothing with this ID');
	});
});

describe('Group → Delete', () => {
	it('deletes the group and returns {deleted: true}', async () => {
		const [[item]] = await group('delete', { groupId: locator(GROUP_ID) });

		expect(received('delete-group').map((c) => c.fields)).toEqual([{ companyKey: sb.companyKey, groupId: GROUP_ID }]);
		expect(item.json).toEqual({ deleted: true, groupId: GROUP_ID });
		expect(sb.state.groups).toHaveLength(0);
	});

	it('says so when the group is unknown; Continue On Fail pairs the error to its item', async () => {
		const [output] = await group(
			'delete',
			{ groupId: locator('={{ $json.id }}', 'id') },
			{ items: [{ id: '650976e8dc32104b8bb1ffff' }, { id: GROUP_ID }], continueOnFail: true },
		);

		expect(output[0].pairedItem).toEqual({ item: 0 });
		expect(output[0].json).toMatchObject({ code: 'not-found', error: 'Group → Delete: Identomat found nothing with this ID' });
		expect(output[1]).toEqual({ json: { deleted: true, groupId: GROUP_ID }, pairedItem: { item: 1 } });
	});
});

describe('Group → Get Many (no paging: Limit applies here)', () => {
	it('returns one item per group, members included', async () => {
		sb.state.groups.push({ id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Second', memberIds: [] });

		const [all] = await group('getMany', { returnAll: true });
		const [limited] = await group('getMany', { returnAll: false, limit: 1 });

		expect(received('list-groups')).toHaveLength(2);
		expect(all.map((i) => i.json)).toEqual([
			{ id: GROUP_ID, name: 'group_name', members: [{ username: 'user1@example.com' }, { username: 'user2@example.com' }] },
			{ id: 'bbbbbbbbbbbbbbbbbbbbbbbb', name: 'Second', members: [] },
		]);
		expect(limited.map((i) => i.json.id)).toEqual([GROUP_ID]);
	});

	it('refuses an answer that holds no list as unreadable: it is never taken for "no groups"', async () => {
		sb.faults.add({ path: 'list-groups', kind: 'body', body: '{"result": {"groups": []}}' });
		await expect(group('getMany', { returnAll: true })).rejects.toThrow(
			"Group → Get Many: Identomat's answer could not be read: the list is missing",
		);
	});
});

describe('group picker: load options and list search through a real LoadOptionsContext', () => {
	const nodeType = new Identomat();

	it("getGroups lists the sandbox's groups (name → ID), including ones just created", async () => {
		await group('create', { name: 'Another Team', memberIds: [ADMIN] });

		const options = await nodeType.methods.loadOptions.getGroups.call(pickerContext(sb));

		expect(received('list-groups')).toHaveLength(1);
		expect(options.map(({ name }) => name)).toEqual(['Another Team', 'group_name']);
		expect(options.find((o) => o.name === 'group_name')).toEqual({
			name: 'group_name',
			value: GROUP_ID,
			description: '2 member(s)',
		});
	});

	it('searchGroups filters by name or ID, case-insensitively', async () => {
		const context = pickerContext(sb);
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
});
