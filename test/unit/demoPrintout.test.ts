/**
 * The demo's printout: a `curl` for every example a webhook starts, that works from any folder
 * (files by absolute path), and the sandbox's sample files and test endpoints. Running the
 * commands against a real n8n: test/e2e/webhooks.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { tryItLines, webhookCommands, testCallback } = require('../../scripts/demo-printout');

const ROOT = path.resolve(__dirname, '../..');
const options = { baseUrl: 'http://127.0.0.1:5678', sandboxUrl: 'http://127.0.0.1:8484', callbackKey: 'demo-callback-key' };

/** Each example's production webhook paths: Webhook nodes by their path, Callback Triggers by webhookId. */
function webhookPaths(): Record<string, string[]> {
	const out: Record<string, string[]> = {};
	for (const file of fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.json'))) {
		const workflow = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples', file), 'utf8'));
		const paths = workflow.nodes
			.map((n: any) =>
				n.type === 'n8n-nodes-base.webhook' ? `/webhook/${n.parameters.path}` : n.type.endsWith('.identomatCallbackTrigger') ? `/webhook/${n.webhookId}/webhook` : undefined,
			)
			.filter(Boolean);
		if (paths.length) out[file] = paths;
	}
	return out;
}

test('every example started by a webhook has a curl in the printout, aimed at its production URL', () => {
	const commands = webhookCommands(options);
	const expected = webhookPaths();
	expect(Object.keys(expected).sort()).toEqual(commands.map((c: any) => c.example).sort());
	for (const c of commands) {
		expect(c.command).toMatch(/^curl -s /);
		expect(expected[c.example].some((p) => c.command.endsWith(` ${options.baseUrl}${p}`))).toBe(true);
	}
});

test('the files a curl sends are given by absolute path and exist', () => {
	const files = webhookCommands(options).flatMap((c: any) => [...c.command.matchAll(/@'([^']+)'/g)].map((m) => m[1]));
	expect(files.length).toBeGreaterThan(0);
	for (const file of files) {
		expect(path.isAbsolute(file)).toBe(true);
		expect(fs.existsSync(file)).toBe(true);
	}
});

test('the test callback carries the callback key and an event the relay example listens to; the example note shows the same', () => {
	const relay = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/5-callback-relay.json'), 'utf8'));
	const trigger = relay.nodes.find((n: any) => n.type.endsWith('.identomatCallbackTrigger'));
	const callback = testCallback(options.callbackKey);
	expect(trigger.parameters.events).toContain(callback.type);
	const note = relay.nodes.find((n: any) => n.type === 'n8n-nodes-base.stickyNote').parameters.content;
	expect(note).toContain(JSON.stringify(callback));
	expect(note).toContain(`${options.baseUrl}/webhook/${trigger.webhookId}/webhook`);
});

test('the printout lists every sample file and the test endpoints', () => {
	const text = tryItLines(options).join('\n');
	for (const name of fs.readdirSync(path.join(ROOT, 'sandbox/fixtures')).filter((f) => /\.(jpg|png|webm)$/.test(f))) {
		expect(text).toMatch(new RegExp(`^  ${name.replace('.', '\\.')} +\\S`, 'm'));
	}
	for (const endpoint of ['POST /__sandbox/sessions', 'POST /__sandbox/monitoring/touch', 'POST /__sandbox/callbacks', 'GET /__sandbox/fixtures']) expect(text).toContain(endpoint);
	expect(text).toContain(`${options.sandboxUrl}/__sandbox/fixtures/`);
});
