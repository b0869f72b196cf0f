/**
 * Blacklist on the API host (JSON): Add, Remove and Get Many (paging inside `query`, erratum 5),
 * with the messages a person reads for duplicates, unknown IDs and bad inputs.
 */
import type { IDataObject } from 'n8n-workflow';

import { identomatRequests, type OperationArgs, receivedOnApiHost, runOperation, sandboxForFile } from '../helpers/sandbox';

const BLACKLISTED = '682b09e4400b3a00067ebcf7';

const sb = sandboxForFile();

const blacklist = (...args: OperationArgs) => runOperation(sb, 'blacklist', ...args);

const received = (path: string) => receivedOnApiHost(sb, path);

describe('Blacklist → Add', () => {
	it('sends reason and identity fields inside `query` and returns {id, alreadyListed: false}', async () => {
		const [[item]] = await blacklist('add', {
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
		expect(item.json).toEqual({ id: expect.stringMatching(/^[0-9a-f]{24}$/), alreadyListed: false });
		expect(sb.state.blacklist.find((r: IDataObject) => r.id === item.json.id)).toMatchObject({
			lastName: 'Roe',
			reason: 'Forged passport',
		});
	});

	it('accepts one identity field alone, leaving out the empty ones', async () => {
		await blacklist('add', { reason: 'Chargebacks', documentNumber: 'X1', firstName: '', birthday: '' });
		expect(received('add-blacklist-record')[0].fields.query).toEqual({ documentNumber: 'X1', reason: 'Chargebacks' });
	});

	it('asks for an identity field or a reason before calling Identomat', async () => {
		await expect(blacklist('add', { reason: 'Fraud', firstName: '  ' })).rejects.toThrow(
			'No identifying details to blacklist in item 1',
		);
		await expect(blacklist('add', { reason: '', lastName: 'Roe' })).rejects.toThrow('"Reason" is empty in item 1');
		await expect(blacklist('add', { reason: 'Fraud', birthday: 'soon' })).rejects.toThrow(
			'"Birthday" in item 1 is not a date',
		);
		expect(identomatRequests(sb)).toHaveLength(0);
	});

	const PEOPLE = {
		reason: 'Fraud',
		firstName: '={{ $json.first }}',
		lastName: '={{ $json.last }}',
		documentNumber: '={{ $json.doc }}',
		personalNumber: '={{ $json.pn }}',
		birthday: '={{ $json.born }}',
	};
	const NEW = { first: 'Ann', last: 'Lee', doc: 'A1', pn: '', born: '' };
	const LISTED = { first: 'John', last: 'Doe', doc: '123ABC123', pn: '012345678901', born: '1980-01-01' };

	it('reports a record already listed on the item and goes on with the next', async () => {
		const [output] = await blacklist('add', PEOPLE, { items: [NEW, LISTED, { ...NEW, first: 'Bo' }] });

		expect(output).toEqual([
			{ json: { id: expect.any(String), alreadyListed: false }, pairedItem: { item: 0 } },
			{ json: { alreadyListed: true }, pairedItem: { item: 1 } },
			{ json: { id: expect.any(String), alreadyListed: false }, pairedItem: { item: 2 } },
		]);
		expect(sb.state.blacklist).toHaveLength(3);
	});

	it('with Stop If Already Listed, explains a duplicate; with Continue On Fail the other items are still added', async () => {
		const [output] = await blacklist(
			'add',
			{ ...PEOPLE, options: { stopIfAlreadyThere: true } },
			{ items: [NEW, LISTED, { first: '', last: '', doc: '', pn: '', born: '' }], continueOnFail: true },
		);

		expect(output).toHaveLength(3);
		expect(output[0]).toEqual({ json: { id: expect.any(String), alreadyListed: false }, pairedItem: { item: 0 } });
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
		const [[item]] = await blacklist('remove', { recordId: BLACKLISTED });

		expect(received('remove-blacklist-record').map((c) => c.fields.id)).toEqual([BLACKLISTED]);
		expect(item.json).toEqual({ deleted: true, id: BLACKLISTED });
		expect(sb.state.blacklist).toHaveLength(0);
	});

	it('says so when the record is unknown', async () => {
		await expect(blacklist('remove', { recordId: '682b09e4400b3a00067effff' })).rejects.toThrow(
			'Blacklist → Remove: Identomat found nothing with this ID',
		);
		await expect(blacklist('remove', { recordId: '' })).rejects.toThrow('"Record ID" is empty in item 1');
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

		const [output] = await blacklist('getMany', { returnAll: true });

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

		const [output] = await blacklist('getMany', { returnAll: false, limit: 30 });

		expect(received('list-blacklist-records').map((c) => c.fields.query)).toEqual([{ offset: 0, limit: 30 }]);
		expect(output).toHaveLength(30);
	});
});
