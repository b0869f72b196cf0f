/** Configuration → Get on the API host (JSON): a flow built in the no-code builder, and unknown or malformed IDs. */
import { type OperationArgs, receivedOnApiHost, runOperation, sandboxForFile } from '../helpers/sandbox';

const CONFIG_ID = '62412c096c4b39ba845d4bf2';

const sb = sandboxForFile();

const configuration = (...args: OperationArgs) => runOperation(sb, 'configuration', ...args);

describe('Configuration → Get', () => {
	it('returns the configuration', async () => {
		const [[item]] = await configuration('get', { sessionConfigId: CONFIG_ID });

		expect(receivedOnApiHost(sb, 'get-session-config').map((c) => c.fields.sessionConfigId)).toEqual([CONFIG_ID]);
		expect(item.json).toEqual(sb.state.configs.get(CONFIG_ID));
		expect(item.json).toMatchObject({ id: CONFIG_ID, steps: expect.any(Array) });
	});

	it('says so for an unknown or malformed ID', async () => {
		await expect(configuration('get', { sessionConfigId: '62412c096c4b39ba845dffff' })).rejects.toThrow(
			'Configuration → Get: Identomat found nothing with this ID',
		);
		await expect(configuration('get', { sessionConfigId: 'nope' })).rejects.toThrow(
			'Configuration → Get: Identomat rejected the parameters of this request',
		);
		await expect(configuration('get', { sessionConfigId: '' })).rejects.toThrow(
			'"Configuration ID" is empty in item 1',
		);
	});
});
