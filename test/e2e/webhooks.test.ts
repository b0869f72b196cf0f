/**
 * End to end, under `n8n start` (n8n 2.41.1): what the callers of the webhook examples get and
 * what the editor's REST API shows.
 *
 * - The demo printout's `curl` commands, run as printed from a folder that is not the repository,
 *   reach the KYC onboarding, document check and callback relay examples.
 * - The Callback Trigger: an accepted call is answered `{"received": true}`; the same callback
 *   sent again starts no second run (its memory is the workflow's static data in n8n's database);
 *   a call refused while the editor listens for a test event is answered 401 and shows on the
 *   trigger's second output, with nothing else run.
 * - What n8n 2.41.1 shows of the fields the trigger declares sensitive (`sensitiveOutputFields`),
 *   in the execution view's REST API and the public API.
 * - Webhook examples that fail answer with a message the caller can act on.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { CALLBACK_KEY, credentials, PACKAGE } from '../../harness/identomat-workflows';
import { exampleWorkflows } from './examples';
import { createN8n, disposeAll, packageTarball, type N8nInstance } from '../../harness/n8n';

import { sandboxForFile } from '../helpers/sandbox';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { webhookCommands, callbackPath, testCallback } = require('../../scripts/demo-printout');

const RELAY = 'idmtCallbackSms1';
const TRIGGER = 'Identomat Callback Trigger';

const sb = sandboxForFile();
let n8n: N8nInstance;

/**
 * Runs a printed command with bash from a fresh folder outside the repository; its body and status.
 * Asynchronously: the sandbox that n8n calls meanwhile lives in this process.
 */
async function runPrinted(command: string): Promise<{ status: number; body: any }> {
	const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'printed-curl-'));
	try {
		const { stdout } = await promisify(execFile)('bash', ['-c', `${command} -w '\\n%{http_code}'`], { cwd, encoding: 'utf8', timeout: 60_000 });
		const at = stdout.lastIndexOf('\n');
		const text = stdout.slice(0, at);
		let body: any = text;
		try {
			body = JSON.parse(text);
		} catch {
			// not JSON
		}
		return { status: Number(stdout.slice(at + 1)), body };
	} finally {
		fs.rmSync(cwd, { recursive: true, force: true });
	}
}

/** Every execution of the workflow, newest first, running ones included (the editor's list; the public API leaves those out). */
async function executionsOf(workflowId: string): Promise<any[]> {
	const list = await n8n.rest('GET', `/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=50`);
	expect(list.status).toBe(200);
	return [...list.body.data.results].sort((a, b) => Number(b.id) - Number(a.id));
}

/** The items of one output of a node in an execution read with includeData=true. */
function outputOf(execution: any, node: string, output = 0): any[] {
	const runs = execution.data.resultData.runData[node];
	if (!runs) throw new Error(`${node} did not run; ran: ${Object.keys(execution.data.resultData.runData).join(', ')}`);
	return runs[runs.length - 1].data.main[output] ?? [];
}

beforeAll(async () => {
	n8n = await createN8n({ major: 2, packageTarball: packageTarball() });
	await n8n.importCredentials(credentials(sb));
	await n8n.importWorkflows(exampleWorkflows(sb.url).filter((w) => ['idmtKycOnboard01', 'idmtDocCheck0001', RELAY].includes(w.id)));
	await n8n.start();
	await n8n.activate('idmtKycOnboard01', { webhookPaths: ['identomat-kyc-onboarding'] });
	await n8n.activate('idmtDocCheck0001', { webhookPaths: ['identomat-document-check'] });
	await n8n.activate(RELAY, { webhookPaths: [callbackPath().slice('/webhook/'.length)] });
});

afterAll(async () => {
	await disposeAll();
});

test("the printout's curl for every webhook example works as printed, from any folder", async () => {
	const commands = webhookCommands({ baseUrl: n8n.baseUrl, sandboxUrl: sb.url, callbackKey: CALLBACK_KEY });
	const answers: Record<string, { status: number; body: any }> = {};
	for (const c of commands) answers[c.example] = await runPrinted(c.command);
	expect(answers['1-kyc-onboarding.json']).toMatchObject({ status: 200, body: { email: 'ada@example.com', sessionUrl: expect.stringContaining(sb.url) } });
	expect(answers['4-document-check.json']).toMatchObject({ status: 200, body: { firstName: 'JOHN', lastName: 'DOE', sameFace: true } });
	expect(answers['5-callback-relay.json']).toEqual({ status: 200, body: { received: true } });
	const relay = await n8n.waitForExecution(RELAY, { status: 'success' });
	const { callbackApiKey, ...sent } = testCallback(CALLBACK_KEY);
	void callbackApiKey;
	expect(outputOf(relay, TRIGGER)[0].json).toEqual(sent);
});

/** The workflow's static data as n8n keeps it in its database. */
async function staticDataOf(workflowId: string): Promise<string> {
	return JSON.stringify((await n8n.rest('GET', `/workflows/${workflowId}`)).body.data.staticData);
}

test('the Callback Trigger: a repeat of the callback it remembers is answered {"received": true} and starts no run', async () => {
	// The printout's test callback (previous test) was the relay's first accepted call.
	const before = (await executionsOf(RELAY)).length;
	expect(await sb.sendCallback(`${n8n.baseUrl}${callbackPath()}`, testCallback(CALLBACK_KEY))).toEqual({ status: 200, body: { received: true } });
	// n8n records an execution before it answers a call in this mode: the count is final here.
	expect((await executionsOf(RELAY)).length).toBe(before);
	const staticData = await staticDataOf(RELAY);
	expect(staticData).toContain('recentCallbacks');
	for (const value of ['482913', '15550100123', CALLBACK_KEY]) expect(staticData).not.toContain(value);
});

test('n8n 2.41.1 does not save what a webhook adds to static data that already holds some: a later callback sent twice runs twice', async () => {
	// n8n 2.41.1's WorkflowRunner.establishContextForPersistence wraps the same static data object in
	// a second Workflow, resetting its "changed" flag, so LiveWebhooks does not save what the webhook
	// added (the first time there is no object to share yet, so that one is saved). Same with the
	// "global" static data. docs/callback-repeats.md says so. Fails the day n8n saves it.
	const url = `${n8n.baseUrl}${callbackPath()}`;
	const remembered = await staticDataOf(RELAY);
	const before = (await executionsOf(RELAY)).length;
	const later = { type: 'one-time-password-request', sessionId: 'r'.repeat(40), text: 'Your code is 771204', phoneNumber: '+15550100999', callbackApiKey: CALLBACK_KEY };
	expect(await sb.sendCallback(url, later)).toEqual({ status: 200, body: { received: true } });
	expect(await staticDataOf(RELAY)).toBe(remembered);
	expect(await sb.sendCallback(url, later)).toEqual({ status: 200, body: { received: true } });
	expect((await executionsOf(RELAY)).length).toBe(before + 2);
});

test('what n8n 2.41.1 (no licence) shows of the sensitive output fields: the values, in full', async () => {
	const url = `${n8n.baseUrl}${callbackPath()}`;
	const body = { type: 'share-session-link-via-sms', sessionId: 's'.repeat(40), phoneNumber: '+15550100777', text: 'Your code is 640018', sessionLink: `${sb.url}/?session_token=${'s'.repeat(40)}` };
	expect((await sb.sendCallback(url, { ...body, callbackApiKey: CALLBACK_KEY })).status).toBe(200);
	const id = (await executionsOf(RELAY))[0].id;
	await n8n.waitForExecution(RELAY, { status: 'success', after: String(Number(id) - 1) });

	const nodeTypes = await n8n.nodeTypes();
	const declared = nodeTypes.find((t: any) => t.name === `${PACKAGE}.identomatCallbackTrigger`) as any;
	expect(declared.sensitiveOutputFields).toEqual(['text', 'phoneNumber', 'sessionLink']);

	// The public API and the editor's execution view (REST) both show the values as they came.
	const publicApi = await n8n.api('GET', `/executions/${id}?includeData=true`);
	expect(outputOf(publicApi.body, TRIGGER)[0].json).toEqual(body);
	const view = await n8n.rest('GET', `/executions/${id}`);
	expect(view.status).toBe(200);
	for (const value of [body.text, body.phoneNumber, body.sessionLink]) expect(view.text).toContain(value);
	expect(view.text).not.toContain('__redacted');
	process.stderr.write(`n8n 2.41.1 execution view of the Callback Trigger: ${JSON.stringify(outputOf(publicApi.body, TRIGGER)[0].json)}\n`);

	// A workflow's redaction policy is an n8n Enterprise feature: without the licence, "all" hides nothing.
	const wf = (await n8n.rest('GET', `/workflows/${RELAY}`)).body.data;
	const saved = await n8n.rest('PATCH', `/workflows/${RELAY}`, { versionId: wf.versionId, settings: { ...wf.settings, redactionPolicy: 'all' } });
	process.stderr.write(`setting redactionPolicy "all" without a licence: ${saved.status} ${saved.text.slice(0, 200)}\n`);
	const again = await n8n.api('GET', `/executions/${id}?includeData=true`);
	expect(outputOf(again.body, TRIGGER)[0].json).toEqual(body);
});

test('while the editor listens for a test event, a refused call is answered 401 and shows on "Refused While Testing" only', async () => {
	const listen = await n8n.rest('POST', `/workflows/${RELAY}/run`, { triggerToStartFrom: { name: TRIGGER } });
	expect(listen.status).toBe(200);
	expect(listen.body.data).toMatchObject({ waitingForWebhook: true });
	const testUrl = `${n8n.baseUrl}${callbackPath().replace('/webhook/', '/webhook-test/')}`;
	const refused = await sb.sendCallback(testUrl, { ...testCallback('not-the-key') });
	expect(refused).toEqual({ status: 401, body: { message: 'The callback API key is missing or does not match the one configured for this callback URL.' } });

	let manual: any;
	for (let i = 0; i < 120 && !manual; i++) {
		manual = (await executionsOf(RELAY)).find((e) => e.mode === 'manual' && e.stoppedAt);
		if (!manual) await new Promise((resolve) => setTimeout(resolve, 250));
	}
	expect(manual).toBeDefined();
	const execution = (await n8n.api('GET', `/executions/${manual.id}?includeData=true`)).body;
	expect(outputOf(execution, TRIGGER, 0)).toEqual([]);
	expect(outputOf(execution, TRIGGER, 1).map((i: any) => i.json)).toEqual([
		{
			status: 401,
			message: 'The callback API key is missing or does not match the one configured for this callback URL.',
			receivedFields: ['type', 'sessionId', 'text', 'phoneNumber', 'callbackApiKey'],
		},
	]);
	expect(Object.keys(execution.data.resultData.runData)).toEqual([TRIGGER]);
	expect(JSON.stringify(execution)).not.toContain('not-the-key');
});

test('webhook examples that fail answer with a message the caller can act on', async () => {
	// Document check without a selfie.
	const form = new FormData();
	form.append('idPhoto', new Blob([sb.fixtures['card-front.jpg']], { type: 'image/jpeg' }), 'card.jpg');
	const noSelfie = await n8n.http('POST', '/webhook/identomat-document-check', form);
	expect(noSelfie.status).toBe(422);
	expect(noSelfie.body.message).toMatch(/^The document check did not finish: .*selfie/);
	expect(noSelfie.body.hint).toEqual(expect.any(String));

	// KYC onboarding while Identomat refuses the company key.
	sb.faults.add({ host: 'widget', path: 'begin/', kind: 'bareString', code: 'COMPANY_KEY_INVALID', times: 1 });
	const refused = await n8n.http('POST', '/webhook/identomat-kyc-onboarding', { email: 'ada@example.com' });
	expect(refused.status).toBe(502);
	expect(refused.body.message).toMatch(/^No identity check was started: /);
	expect(refused.body.message).not.toBe('Error in workflow');
	process.stderr.write(`document check without a selfie: ${noSelfie.status} ${noSelfie.text}\nKYC onboarding, key refused: ${refused.status} ${refused.text}\n`);
});
