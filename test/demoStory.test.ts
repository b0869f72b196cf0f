/**
 * The demo's story through the real nodes, in-process against the seeded sandbox: what a business
 * analyst sees first. The Document check reads the sample ID card as it is printed and finds that
 * its photo and the selfie show the same person (another person's selfie does not match); Fetch
 * Test Event on the Identomat Trigger with Include Screening Matches shows a monitored person
 * with the matches a real alert has.
 */
import type { IDataObject } from 'n8n-workflow';

import { IdentomatTrigger } from '../nodes/IdentomatTrigger/IdentomatTrigger.node';
import { PollingTrigger } from '../harness/poll';
import { itemWithFile } from '../harness/runner';
import { credentialsOf, runOperation, sandboxForFile } from './helpers/sandbox';

const sb = sandboxForFile();

async function documentCheck(idPhoto: string, selfie: string) {
	const files = {
		idPhoto: { data: sb.fixtures[idPhoto] as Buffer, fileName: idPhoto, mimeType: 'image/jpeg' },
		selfie: { data: sb.fixtures[selfie] as Buffer, fileName: selfie, mimeType: 'image/jpeg' },
	};
	const items = [await itemWithFile({}, files)];
	const run = async (resource: string, operation: string, parameters: IDataObject) =>
		(await runOperation(sb, resource, operation, parameters, { input: items }))[0][0].json;
	return {
		card: await run('document', 'readIdCardFront', { binaryPropertyName: 'idPhoto' }),
		faces: await run('face', 'compare', {
			binaryPropertyName: 'idPhoto',
			secondBinaryPropertyName: 'selfie',
			options: { matchThreshold: 0.8 },
		}),
	};
}

test("Document check: the sample ID card reads as printed, and its photo matches the person's selfie", async () => {
	const { card, faces } = await documentCheck('card-front.jpg', 'face.jpg');
	expect(card).toMatchObject({
		firstName: 'JOHN',
		lastName: 'DOE',
		birthday: '1980-01-08T00:00:00.000Z',
		documentNumber: 'AB0002261',
		documentExpires: '2028-06-28T00:00:00.000Z',
	});
	expect(faces).toMatchObject({ match: true });
});

test("Document check: another person's selfie does not match the card", async () => {
	const { faces } = await documentCheck('card-front.jpg', 'face-other.jpg');
	expect(faces).toMatchObject({ match: false });
	expect(faces.similarity).toBeLessThan(0.5);
});

test('Fetch Test Event with Include Screening Matches: the newest change is a person with matches', async () => {
	const trigger = new PollingTrigger({
		nodeType: new IdentomatTrigger(),
		typeName: 'n8n-nodes-identomat.identomatTrigger',
		parameters: { event: 'screeningMonitoringUpdated', options: { includeScreeningMatches: true } },
		credentials: credentialsOf(sb),
	});
	const [record] = (await trigger.poll('manual'))!;
	expect(record).toMatchObject({ fullName: 'Ivan Petrovich Sidorov', lastUpdatedDate: expect.any(String) });
	expect(record.screeningMatches).toEqual([
		expect.objectContaining({ name: 'Ivan Petrovich Sidorov', score: 100, topics: expect.arrayContaining(['Sanctioned entity']) }),
	]);
});
