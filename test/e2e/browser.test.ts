/**
 * A real browser in the real n8n editor: headless Chromium (Debian's `chromium`, never a
 * downloaded one) driven by playwright-core signs in to n8n 2.41.1 with the packed package, the
 * sandbox credential and the example workflows, and looks at our nodes the way a user does:
 *
 * - the KYC onboarding example on the canvas (our icons load, no node shows issues), the Identomat
 *   node (Session → Create), the Identomat Trigger of the monitoring example and the Identomat
 *   Callback Trigger of the callback relay, each opened in the node details view;
 * - the Identomat node switched to every resource and operation, and the pickers that load from
 *   Identomat (Group → Update: the group list and the member list, loaded live from the sandbox);
 * - the nodes panel searched for "Identomat" (the node with its actions and triggers, and the
 *   callback trigger); for "identomat", "kyc" and "passport" it shows the action node's description,
 *   both when choosing a trigger and when choosing what happens next; the words analysts type (id
 *   card, driver license, MRZ, OCR, selfie, screening, blacklist, onboarding) put it first;
 * - the Sanctions screening example run from the editor: no hidden settings (Always Output Data,
 *   Execute Once, Continue On Fail), one item per person searched, and a second screening of the
 *   same person reported as already monitored instead of stopping;
 * - the canvas subtitles of the triggers (event names, not internal values);
 * - the Callback Trigger while the editor listens for a test event: a call with a wrong key shows on
 *   its "Refused While Testing" output (never the key sent) and nothing after "Callbacks" runs;
 *   with the right key the callback goes out on "Callbacks";
 * - an output schema: a node after one of ours, before anything ran, offers our fields to map;
 * - a picture of every example's canvas: test-artifacts/screenshots/canvas-<example>.png, and with
 *   E2E_DOCS_IMAGES=<dir> (`npm run screenshots`: docs/images/) the README's pictures.
 *
 * Any editor error about our nodes fails the test: console errors, uncaught page errors, failed
 * requests to n8n's own endpoints (`/rest/`, `/types/`, `/icons/`; status >= 400), error and warning
 * toasts, and n8n's issue markers on our nodes. What is ignored is listed in ALLOWED below, each
 * with its reason. Screenshots go to test-artifacts/screenshots/browser-*.png.
 *
 * The browser stays off the internet: every request that is not to 127.0.0.1 is aborted by the
 * test (and listed in the log), so the run is the same with and without a network.
 */
// The functions passed to addInitScript and evaluateAll run in the page, with the DOM's types.
/// <reference lib="dom" />
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { chromium, type BrowserContext, type ConsoleMessage, type Locator, type Page } from 'playwright-core';

import { CALLBACK_KEY, connections, credentials, identomat, node, PACKAGE } from '../../harness/identomat-workflows';
import { DEMO_SANDBOX_URL, exampleWorkflows } from './examples';
import { createN8n, disposeAll, n8nVersion, packageTarball, ROOT, type N8nInstance } from '../../harness/n8n';

import { sandboxForFile } from '../helpers/sandbox';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { callbackPath, testCallback } = require('../../scripts/demo-printout');

const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];
const SCREENSHOTS = path.join(ROOT, 'test-artifacts/screenshots');
/** Where `npm run screenshots` keeps the README's canvas pictures (unset: only test-artifacts/). */
const DOCS_IMAGES = process.env.E2E_DOCS_IMAGES ? path.resolve(ROOT, process.env.E2E_DOCS_IMAGES) : undefined;

const KYC = { id: 'idmtKycOnboard01', node: 'Create Session' };
const MONITORING = { id: 'idmtMonitorAlert', node: 'Identomat Trigger' };
const CALLBACK = { id: 'idmtCallbackSms1', node: 'Identomat Callback Trigger' };
const SANCTIONS = { id: 'idmtSanctions001' };
/** Manual Trigger → Session → Get Result with a Session ID of the wrong shape, run from the editor. */
const WRONG_SHAPE = { id: 'e2eWrongShapeId1', node: 'Get Result', sessionId: 'abc123' };
function wrongShapeWorkflow() {
	return {
		id: WRONG_SHAPE.id,
		name: 'E2E: a Session ID of the wrong shape',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			node('Manual', 'n8n-nodes-base.manualTrigger', 1, {}, 0, 0),
			identomat(WRONG_SHAPE.node, 220, 0, 'session', 'getResult', { sessionId: WRONG_SHAPE.sessionId, output: 'simplified' }),
		],
		connections: connections([['Manual', WRONG_SHAPE.node]]),
	};
}
/** A group added to the sandbox for this test: the picker can only show it if it loads live. */
const LIVE_GROUP = { id: '65f0e2e0b70e5e00000000b1', name: 'E2E Browser Team', memberIds: [] as string[] };

interface Problem {
	kind: 'console' | 'pageerror' | 'http' | 'requestfailed' | 'toast';
	text: string;
	url?: string;
}

/**
 * What the editor may report without failing the test. Nothing here is about our nodes; every
 * entry says why it is noise.
 */
const ALLOWED: Array<{ why: string; test: (p: Problem) => boolean }> = [
	{
		why: 'Before signing in, the editor asks GET /rest/login whether a session exists; n8n answers 401 (and Chromium logs the 401 as a console error).',
		test: (p) => (p.kind === 'http' || p.kind === 'console') && /\/rest\/login(\?|$)/.test(p.url ?? '') && /\b401\b/.test(p.text),
	},
	{
		why: "Before anything ran, the editor asks for the output schema of each node before the one opened (GET /schemas/<type>/…); n8n-nodes-base ships none for many of its own nodes (Webhook, Wait, Respond to Webhook …), which answer 404, and Chromium logs that. Ours are checked to answer 200.",
		test: (p) => p.kind === 'console' && /\b404\b/.test(p.text) && /\/schemas\/n8n-nodes-base\./.test(p.url ?? ''),
	},
	{
		why: 'The test aborts every request leaving 127.0.0.1 (e.g. the community node details panel looking the package up on registry.npmjs.org); Chromium logs each abort as a console error.',
		test: (p) => (p.kind === 'console' || p.kind === 'requestfailed') && !!p.url && !isLocal(p.url),
	},
];

function isLocal(url: string): boolean {
	try {
		const { protocol, hostname } = new URL(url);
		return !/^https?:$/.test(protocol) || hostname === '127.0.0.1' || hostname === 'localhost';
	} catch {
		return true;
	}
}

// Not reset between tests: the group beforeAll adds is there for the group picker's test.
const sb = sandboxForFile({ resetBeforeEach: false });
let n8n: N8nInstance;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
let problems: Problem[] = [];
const blockedHosts = new Set<string>();
const iconResponses: Array<{ url: string; status: number; type: string }> = [];
let shot = 0;

/** Our nodes' descriptions as the running n8n serves them to the editor. */
let types: Record<'identomat' | 'identomatTrigger' | 'identomatCallbackTrigger', any>;

beforeAll(async () => {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (as .ci/run does), or set E2E_CHROMIUM`);
	}
	fs.mkdirSync(SCREENSHOTS, { recursive: true });
	for (const f of fs.readdirSync(SCREENSHOTS)) if (/^browser-.*\.png$/.test(f)) fs.rmSync(path.join(SCREENSHOTS, f));

	sb.state.groups.push(structuredClone(LIVE_GROUP));
	n8n = await createN8n({ major: 2, packageTarball: packageTarball() });
	await n8n.importCredentials(credentials(sb));
	// As the demo has them (its sandbox address in the notes): the pictures of the canvases are the
	// README's. The credential points at this test's sandbox, so the examples run from the editor.
	await n8n.importWorkflows([...exampleWorkflows(DEMO_SANDBOX_URL), wrongShapeWorkflow()]);
	await n8n.start();
	const all = await n8n.nodeTypes();
	const find = (name: string) => {
		const type = all.find((t) => t.name === `${PACKAGE}.${name}`);
		if (!type) throw new Error(`${PACKAGE}.${name} is not loaded in n8n`);
		return type;
	};
	types = {
		identomat: find('identomat'),
		identomatTrigger: find('identomatTrigger'),
		identomatCallbackTrigger: find('identomatCallbackTrigger'),
	};

	userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
	context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport: { width: 1600, height: 1000 },
		locale: 'en-US',
		timezoneId: 'UTC',
	});
	await context.route('**/*', async (route) => {
		const url = route.request().url();
		if (isLocal(url)) return await route.continue();
		blockedHosts.add(new URL(url).host);
		await route.abort('blockedbyclient');
	});
	page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(20_000);
	await watch(page);
	await signIn();
}, 300_000);

// Whatever a test left unchecked (it failed early, say) is reported with it.
afterEach(async () => {
	if (page) await expectNoEditorProblems('end of test', 0);
});

afterAll(async () => {
	if (blockedHosts.size) console.log(`browser.test: requests blocked (not 127.0.0.1): ${[...blockedHosts].join(', ')}`);
	if (rawLabels.length) console.log(`browser.test: n8n showed raw values (its select glitch, see choose()): ${rawLabels.join('; ')}`);
	await context?.close();
	if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
	await disposeAll();
});

/** The sign-in form, as the owner n8n.start() set up. */
async function signIn(): Promise<void> {
	await page.goto(`${n8n.baseUrl}/signin`);
	await page.locator('#emailOrLdapLoginId').fill(n8n.owner.email);
	await page.locator('#password').fill(n8n.owner.password);
	await page.locator('[data-test-id="form-submit-button"]').click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	await page.waitForLoadState('networkidle');
}

/** Collect everything the editor reports; toasts through a MutationObserver in the page. */
async function watch(p: Page): Promise<void> {
	p.on('console', (msg: ConsoleMessage) => {
		if (msg.type() !== 'error') return;
		problems.push({ kind: 'console', text: msg.text(), url: msg.location()?.url });
	});
	p.on('pageerror', (error) => problems.push({ kind: 'pageerror', text: `${error.name}: ${error.message}\n${error.stack ?? ''}` }));
	p.on('response', (res) => {
		const url = res.url();
		if (url.includes(`/icons/${PACKAGE}/`)) {
			iconResponses.push({ url, status: res.status(), type: res.headers()['content-type'] ?? '' });
		}
		if (res.status() >= 400 && ownEndpoint(url)) {
			problems.push({ kind: 'http', text: `${res.request().method()} ${url} → ${res.status()}`, url });
		}
	});
	p.on('requestfailed', (req) => {
		const failure = req.failure()?.errorText ?? '';
		// ERR_ABORTED: the page navigated away while the request was still running.
		if (failure === 'net::ERR_ABORTED') return;
		if (ownEndpoint(req.url()) || !isLocal(req.url())) {
			problems.push({ kind: 'requestfailed', text: `${req.method()} ${req.url()}: ${failure}`, url: req.url() });
		}
	});
	await p.exposeFunction('__e2eToast', (toast: { type: string; title: string; text: string }) => {
		if (/error|warning/.test(toast.type)) problems.push({ kind: 'toast', text: `${toast.type} toast: ${toast.title} ${toast.text}` });
	});
	// No CSS animations or transitions: dropdowns and panels are usable at once (and the screenshots
	// are taken of the finished state). Vue's transitions end immediately without CSS durations.
	await p.addInitScript(() => {
		document.addEventListener('DOMContentLoaded', () => {
			const style = document.createElement('style');
			style.textContent = '*, *::before, *::after { transition-duration: 1ms !important; transition-delay: 0s !important; animation-duration: 1ms !important; animation-delay: 0s !important; }';
			document.head.appendChild(style);
		});
	});
	await p.addInitScript(() => {
		const seen = new WeakSet<Element>();
		const report = (el: Element) => {
			const icon = el.querySelector('.el-notification__icon')?.className ?? '';
			const type = /--error/.test(icon) ? 'error' : /--warning/.test(icon) ? 'warning' : /--success/.test(icon) ? 'success' : 'info';
			(window as any).__e2eToast?.({
				type,
				title: el.querySelector('.el-notification__title')?.textContent?.trim() ?? '',
				text: el.querySelector('.el-notification__content')?.textContent?.trim() ?? '',
			});
		};
		new MutationObserver(() => {
			document.querySelectorAll('.el-notification').forEach((el) => {
				if (seen.has(el)) return;
				seen.add(el);
				setTimeout(() => report(el), 100); // its content renders just after it is added
			});
		}).observe(document, { childList: true, subtree: true });
	});
}

function ownEndpoint(url: string): boolean {
	if (!n8n || !url.startsWith(n8n.baseUrl)) return false;
	return /^\/(rest|types|icons)\//.test(new URL(url).pathname);
}

/** Fail with everything not allow-listed the editor reported since the last check. */
async function expectNoEditorProblems(where: string, settleMs = 300): Promise<void> {
	if (settleMs) await page.waitForTimeout(settleMs); // let late responses, console lines and toasts arrive
	const found = problems.filter((p) => !ALLOWED.some((a) => a.test(p)));
	problems = [];
	if (found.length) {
		await screenshot(`problems-${where}`);
		throw new Error(`The editor reported (${where}):\n${found.map((p) => `- [${p.kind}] ${p.text}${p.url ? ` (${p.url})` : ''}`).join('\n')}`);
	}
}

async function screenshot(name: string): Promise<string> {
	const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
	const file = path.join(SCREENSHOTS, `browser-${String(++shot).padStart(2, '0')}-${slug}.png`);
	await page.screenshot({ path: file });
	return file;
}

async function openWorkflow(id: string): Promise<void> {
	await page.goto(`${n8n.baseUrl}/workflow/${id}`);
	await page.locator('[data-test-id="canvas-node"]').first().waitFor();
	await page.locator('[data-test-id="node-creator-plus-button"]').waitFor();
}

function canvasNode(name: string): Locator {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`);
}

const ndv = () => page.locator('[data-test-id="ndv"]');

async function openNode(name: string): Promise<void> {
	await canvasNode(name).dblclick();
	await ndv().waitFor();
	await ndv().locator('[data-test-id="node-parameters"]').waitFor();
	await page.waitForTimeout(500); // the panel slides in; loadOptions requests start
}

async function closeNode(): Promise<void> {
	await page.locator('[data-test-id="ndv-close-button"]').click();
	await ndv().waitFor({ state: 'hidden' });
}

/** Our nodes on the canvas that show n8n's issue marker (missing or invalid parameters, unknown type). */
async function ourNodesWithIssues(): Promise<string[]> {
	const nodes = page.locator(`[data-test-id="canvas-node"][data-node-type^="${PACKAGE}."]`);
	const names: string[] = [];
	for (const node of await nodes.all()) {
		if (await node.locator('[data-test-id="node-issues"]').count()) names.push((await node.getAttribute('data-node-name')) ?? '?');
	}
	return names;
}

async function parameterIssues(): Promise<string[]> {
	const issues = ndv().locator('[data-test-id="parameter-issues"]');
	const texts: string[] = [];
	for (const issue of await issues.all()) {
		const item = issue.locator('xpath=ancestor::*[@data-test-id="parameter-item" or contains(@data-test-id,"-parameter-input-options-container")][1]');
		texts.push(((await item.count()) ? await item.innerText() : await issue.innerText()).trim().split('\n')[0]);
	}
	return texts;
}

const visibleOptions = () => page.locator('li[role="option"]:visible');

/** Open the dropdown of a parameter (retrying while the panel is still settling). */
async function openDropdown(param: string): Promise<void> {
	const input = ndv().locator(`[data-test-id="parameter-input-${param}"]`);
	for (let attempt = 1; ; attempt++) {
		await input.click();
		try {
			await visibleOptions().first().waitFor({ timeout: 2000 });
			return;
		} catch (error) {
			if (attempt >= 4) throw new Error(`The dropdown of "${param}" shows no options\n${(error as Error).message}`);
		}
	}
}

/** The names shown in the open options dropdown (the headline, without the description), read at once. */
async function optionNames(): Promise<string[]> {
	return await visibleOptions().evaluateAll((els) =>
		els.map((el) => (el.querySelector('.option-headline') ?? el).textContent?.trim() ?? ''),
	);
}

/** What `read` returns once it equals `expected` (the editor re-renders as it settles), or its last answer after 5 s. */
async function settled<T>(read: () => Promise<T>, expected: T): Promise<T> {
	let value = await read();
	for (const deadline = Date.now() + 5000; JSON.stringify(value) !== JSON.stringify(expected) && Date.now() < deadline; ) {
		await page.waitForTimeout(100);
		value = await read();
	}
	return value;
}

/** The open dropdown's names once they equal `expected` (the list re-renders as it opens). */
async function settledOptionNames(expected: string[], sort = false): Promise<string[]> {
	return await settled(async () => (sort ? (await optionNames()).sort() : await optionNames()), expected);
}

async function chooseOption(name: string): Promise<void> {
	const exact = new RegExp(`^\\s*${escapeRegExp(name)}\\s*$`);
	// Options with a description show the name as a headline above it; plain ones are just the name.
	const withHeadline = visibleOptions().filter({ has: page.locator('.option-headline', { hasText: exact }) });
	const option = (await withHeadline.count()) ? withHeadline : visibleOptions().filter({ hasText: exact });
	await option.first().click();
	await visibleOptions().first().waitFor({ state: 'hidden' }).catch(() => undefined);
}

/**
 * n8n reuses the select of a parameter when the resource changes; now and then (more often with
 * the shortened transitions) it keeps showing the new default's raw value ("create") instead of its
 * name until another option is chosen. That is the editor's own glitch: it is accepted when the
 * dropdown itself marks the right option as selected, and listed in the log.
 */
const rawLabels: string[] = [];

async function choose(param: string, name: string, rawValue?: string): Promise<void> {
	await openDropdown(param);
	await chooseOption(name);
	// The select shows the chosen option's name once it has re-rendered.
	const input = ndv().locator(`[data-test-id="parameter-input-${param}"] input`).first();
	const shown = await settled(async () => await input.inputValue(), name);
	if (shown !== name && rawValue !== undefined && shown === rawValue) {
		await openDropdown(param);
		const selected = await visibleOptions().evaluateAll((els) =>
			els
				.filter((el) => el.getAttribute('aria-selected') === 'true' || el.classList.contains('is-selected') || el.classList.contains('selected'))
				.map((el) => (el.querySelector('.option-headline') ?? el).textContent?.trim() ?? ''),
		);
		await page.keyboard.press('Escape');
		expect({ param, selected }).toEqual({ param, selected: [name] });
		rawLabels.push(`${param} "${name}" shown as "${rawValue}"`);
		return;
	}
	expect({ param, value: shown }).toEqual({ param, value: name });
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

interface DescribedResource {
	name: string;
	value: string;
	/** The operation n8n selects when the resource is chosen. */
	defaultOperation: string;
	operations: Array<{ name: string; value: string }>;
}

/** Resources and their operations as the node type describes them (what the editor should show). */
function describedResources(): DescribedResource[] {
	const props: any[] = types.identomat.properties;
	const resource = props.find((p) => p.name === 'resource');
	return resource.options.map((r: any) => {
		const op = props.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.includes(r.value));
		return {
			name: r.name,
			value: r.value,
			defaultOperation: op?.default,
			operations: (op?.options ?? []).map((o: any) => ({ name: o.name, value: o.value })),
		};
	});
}

/** The example files and the workflow each holds (its id), in file order. */
function examples(): Array<{ file: string; id: string; name: string }> {
	const dir = path.join(ROOT, 'examples');
	return fs
		.readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((file) => {
			const { id, name } = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
			return { file: file.replace(/\.json$/, ''), id, name };
		});
}

/** The part of the page the workflow's nodes and notes take, with a margin (for the README's pictures). */
async function canvasContent(margin = 56) {
	const boxes = (await page.locator('.vue-flow__node').evaluateAll((els) =>
		els.map((el) => el.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, right: r.right, bottom: r.bottom })),
	)) as Array<{ x: number; y: number; right: number; bottom: number }>;
	const viewport = page.viewportSize()!;
	const x = Math.max(0, Math.min(...boxes.map((b) => b.x)) - margin);
	const y = Math.max(0, Math.min(...boxes.map((b) => b.y)) - margin);
	const right = Math.min(viewport.width, Math.max(...boxes.map((b) => b.right)) + margin);
	// The names and subtitles under the nodes are outside their boxes.
	const bottom = Math.min(viewport.height, Math.max(...boxes.map((b) => b.bottom)) + margin + 24);
	return { x, y, width: right - x, height: bottom - y };
}

/** Runs the open workflow with the editor's Execute Workflow button, until `lastNode` shows it ran. */
async function runOpenWorkflow(lastNode: string): Promise<void> {
	await page.locator('[data-test-id="execute-workflow-button"]').first().click();
	await canvasNode(lastNode).locator('[data-test-id="canvas-node-status-success"]').waitFor();
}

const REFUSED = 'The callback API key is missing or does not match the one configured for this callback URL.';

/**
 * Runs the open workflow from the canvas, which then listens for a test event; sends `body` to the
 * Callback Trigger's test URL once n8n has registered it, and returns the answer once the editor
 * shows the run as over (neither of its two stop buttons, "waiting for webhook" and "executing").
 */
async function callWhileListening(body: object): Promise<{ status: number; body: unknown }> {
	const registered = page.waitForResponse((res) => res.request().method() === 'POST' && /\/rest\/workflows\/[^/]+\/run(\?|$)/.test(res.url()));
	await page.locator('[data-test-id="execute-workflow-button"]').first().click();
	expect((await registered).status()).toBe(200);
	await page.locator('[data-test-id="stop-execution-waiting-for-webhook-button"]').waitFor();
	const res = await fetch(`${n8n.baseUrl}${callbackPath().replace('/webhook/', '/webhook-test/')}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	const answer = { status: res.status, body: await res.json() };
	await page.locator('[data-test-id="stop-execution-waiting-for-webhook-button"], [data-test-id="stop-execution-button"]').waitFor({ state: 'hidden' });
	return answer;
}

/** The item count on the canvas edge leaving `name` ('' before anything went along it). */
async function edgeLabelFrom(name: string): Promise<string> {
	return (await page.locator(`[data-test-id="edge-label"][data-source-node-name="${name}"]`).innerText()).trim();
}

/** The open node's output tabs, one per output, with their item counts as the editor shows them. */
async function outputBranches(): Promise<string[]> {
	const tabs = page.locator('[data-test-id="output-panel"] [data-test-id="branches"] [data-test-id^="tab-"]');
	return (await tabs.allInnerTexts()).map((t) => t.trim());
}

/** What the open node's output panel shows for output `index` (its tab chosen). */
async function outputOfBranch(index: number): Promise<string> {
	const output = page.locator('[data-test-id="output-panel"]');
	await output.locator(`[data-test-id="branches"] [data-test-id="tab-${index}"]`).click();
	return await output.locator('[data-test-id="ndv-data-container"]').innerText();
}

/** The "Identomat" entry of the open nodes panel after searching `term`: its name and the text under it. */
async function identomatEntry(term: string): Promise<{ name: string; description: string }> {
	const creator = page.locator('[data-test-id="node-creator"]');
	await creator.locator('[data-test-id="node-creator-search-bar"]').fill(term);
	const entry = creator
		.locator('[data-test-id="item-iterator-item"]')
		.filter({ has: page.locator('[data-test-id="node-creator-item-name"]', { hasText: /^\s*Identomat\s*$/ }) })
		.first();
	await entry.waitFor();
	const description = entry.locator('[data-test-id="node-creator-item-description"]');
	return {
		name: (await entry.locator('[data-test-id="node-creator-item-name"]').innerText()).trim(),
		description: (await description.count()) ? (await description.innerText()).trim() : '',
	};
}

describe(`the n8n ${n8nVersion(2)} editor in headless Chromium`, () => {
	test('shows the KYC onboarding example with our nodes and their icons', async () => {
		await openWorkflow(KYC.id);
		const ours = page.locator(`[data-test-id="canvas-node"][data-node-type="${PACKAGE}.identomat"]`);
		expect((await ours.evaluateAll((els) => els.map((e) => e.getAttribute('data-node-name')))).sort()).toEqual(
			['Create Session', 'Export PDF Report', 'Get Document Front', 'Get Result'],
		);
		await page.waitForLoadState('networkidle');
		expect(await ourNodesWithIssues()).toEqual([]);

		// The icon: every <img> of ours rendered, and its URL answered 200 with an SVG.
		const icons = page.locator(`img[src*="/icons/${PACKAGE}/"]`);
		expect(await icons.count()).toBeGreaterThanOrEqual(4);
		const sizes = await icons.evaluateAll((imgs) => imgs.map((i) => [(i as HTMLImageElement).src, (i as HTMLImageElement).naturalWidth]));
		for (const [src, width] of sizes) expect({ src, width: Number(width) > 0 }).toEqual({ src, width: true });
		expect(iconResponses.length).toBeGreaterThan(0);
		for (const r of iconResponses) expect(r).toEqual({ url: r.url, status: 200, type: expect.stringContaining('svg') });
		// Both variants (light and dark) of the icons of all three nodes, as the editor would ask for them.
		const iconUrls = new Set<string>();
		for (const type of Object.values(types)) {
			const iconUrl = type.iconUrl;
			for (const u of typeof iconUrl === 'string' ? [iconUrl] : [iconUrl?.light, iconUrl?.dark]) if (u) iconUrls.add(u);
		}
		expect(iconUrls.size).toBeGreaterThanOrEqual(2);
		for (const u of iconUrls) {
			const res = await page.request.get(`${n8n.baseUrl}/${u.replace(/^\//, '')}`);
			expect({ u, status: res.status(), type: res.headers()['content-type'] }).toEqual({ u, status: 200, type: expect.stringContaining('svg') });
		}

		await screenshot('kyc-onboarding-canvas');
		await expectNoEditorProblems('kyc canvas');
	});

	test('opens the Identomat node: Session → Create with its credential and options', async () => {
		await openNode(KYC.node);
		const panel = ndv();
		expect(await panel.locator('[data-test-id="node-title-container"]').innerText()).toContain(KYC.node);
		expect(await panel.locator('[data-test-id="parameter-input-resource"] input').inputValue()).toBe('Session');
		expect(await panel.locator('[data-test-id="parameter-input-operation"] input').inputValue()).toBe('Create');
		expect(await panel.locator('[data-test-id="node-credentials-select"] input').inputValue()).toBe('Identomat Sandbox');
		for (const param of ['configId', 'language', 'returnUrl']) {
			await panel.locator(`[data-test-id="parameter-input-${param}"]`).waitFor();
		}
		expect(await parameterIssues()).toEqual([]);
		await screenshot('identomat-session-create');
		await closeNode();
		await expectNoEditorProblems('Session → Create');
	});

	test('opens the Identomat Trigger of the monitoring example', async () => {
		await openWorkflow(MONITORING.id);
		expect(await ourNodesWithIssues()).toEqual([]);
		await openNode(MONITORING.node);
		const panel = ndv();
		const events = (types.identomatTrigger.properties as any[]).find((p) => p.name === 'event');
		const selected = events.options.find((o: any) => o.value === 'screeningMonitoringUpdated').name;
		expect(await panel.locator('[data-test-id="parameter-input-event"] input').inputValue()).toBe(selected);
		expect(await panel.locator('[data-test-id="node-credentials-select"] input').inputValue()).toBe('Identomat Sandbox');
		await panel.locator('[data-test-id="parameter-input-minimumScore"]').waitFor();
		expect(await parameterIssues()).toEqual([]);
		await openDropdown('event');
		const eventNames = events.options.map((o: any) => o.name);
		expect(await settledOptionNames(eventNames)).toEqual(eventNames);
		await screenshot('identomat-trigger');
		await page.keyboard.press('Escape');
		await closeNode();
		await expectNoEditorProblems('Identomat Trigger');
	});

	test('opens the Identomat Callback Trigger of the callback relay example', async () => {
		await openWorkflow(CALLBACK.id);
		expect(await ourNodesWithIssues()).toEqual([]);
		await openNode(CALLBACK.node);
		const panel = ndv();
		const events = panel.locator('[data-test-id="parameter-input-events"]');
		await events.waitFor();
		const eventsText = await events.innerText();
		const options = (types.identomatCallbackTrigger.properties as any[]).find((p) => p.name === 'events').options;
		for (const value of ['one-time-password-request', 'share-session-link-via-sms']) {
			expect(eventsText).toContain(options.find((o: any) => o.value === value).name);
		}
		expect(await panel.locator('[data-test-id="node-credentials-select"] input').inputValue()).toBe('Identomat Sandbox');
		expect(await parameterIssues()).toEqual([]);
		// The webhook URLs the user copies into Identomat.
		await panel.getByText('Webhook URLs').click();
		const url = panel.locator('.webhook-url');
		await url.filter({ hasText: `${n8n.baseUrl}/webhook-test/` }).waitFor();
		await panel.locator('[data-test-id="radio-button-production"]').click();
		await url.filter({ hasText: `${n8n.baseUrl}/webhook/` }).waitFor();
		await screenshot('identomat-callback-trigger');
		await closeNode();
		await expectNoEditorProblems('Identomat Callback Trigger');
	});

	test('switches the Identomat node to every resource and operation; the group and member pickers load from Identomat', async () => {
		await openWorkflow(KYC.id);
		await openNode(KYC.node);

		// Group → Update: the group picker lists the sandbox's groups, loaded live.
		await choose('resource', 'Group', 'group');
		await choose('operation', 'Update', 'update');
		expect(await settled(parameterIssues, ['Group'])).toEqual(['Group']); // required, not chosen yet
		const listGroupsBefore = sb.requests.filter((r: any) => r.path === 'list-groups').length;
		await ndv().locator('[data-test-id="rlc-input"]').click();
		const items = page.locator('[data-test-id="rlc-item"]');
		await items.filter({ hasText: LIVE_GROUP.name }).waitFor();
		const listed = (await items.allInnerTexts()).map((t) => t.trim());
		expect(listed.sort()).toEqual(sb.state.groups.map((g: any) => g.name).sort());
		expect(sb.requests.filter((r: any) => r.path === 'list-groups').length).toBeGreaterThan(listGroupsBefore);
		expect(sb.requests.filter((r: any) => r.path === 'list-groups').at(-1)).toMatchObject({ host: 'api', status: 200 });
		await screenshot('group-update-group-picker');
		await items.filter({ hasText: LIVE_GROUP.name }).click();
		await expect(ndv().locator('[data-test-id="rlc-input"]').inputValue()).resolves.toBe(LIVE_GROUP.name);
		expect(await settled(parameterIssues, [])).toEqual([]);

		// Update Fields → Member Names or IDs: the users of the company.
		// The operation's collection comes before the node-wide "Request Options" collection.
		await ndv().locator('[data-test-id="collection-parameter-add"]').first().click();
		await visibleOptions().first().waitFor();
		await chooseOption('Member Names or IDs');
		await openDropdown('memberIds');
		const usernames = sb.state.users.map((u: any) => u.username).sort();
		expect(await settledOptionNames(usernames, true)).toEqual(usernames);
		await screenshot('group-update-member-picker');
		await chooseOption('user1@example.com');
		await page.keyboard.press('Escape');
		expect(await ndv().locator('[data-test-id="parameter-input-memberIds"]').innerText()).toContain('user1@example.com');
		await expectNoEditorProblems('Group → Update pickers');

		// Every resource and operation renders (names as described), with no editor error.
		const resources = describedResources();
		for (const r of resources) {
			// Each resource's default operation is one of its operations (else n8n shows a raw value).
			expect({ resource: r.name, default: r.operations.some((o) => o.value === r.defaultOperation) }).toEqual({ resource: r.name, default: true });
		}
		await openDropdown('resource');
		expect(await settledOptionNames(resources.map((r) => r.name))).toEqual(resources.map((r) => r.name));
		await page.keyboard.press('Escape');
		const screenshotsOf = new Set(['Screening/Search', 'Session Media/Get Liveness Video', 'Document/Read Passport', 'Video Call/Get Recordings']);
		let rendered = 0;
		for (const r of resources) {
			await choose('resource', r.name, r.value);
			const names = r.operations.map((o) => o.name);
			await openDropdown('operation');
			expect({ resource: r.name, operations: await settledOptionNames(names) }).toEqual({ resource: r.name, operations: names });
			await page.keyboard.press('Escape');
			// The default (already selected) operation last, so that every choice is a change.
			const ordered = [...r.operations.filter((o) => o.value !== r.defaultOperation), ...r.operations.filter((o) => o.value === r.defaultOperation)];
			for (const operation of ordered) {
				await choose('operation', operation.name, operation.value);
				await ndv().locator('[data-test-id="node-parameters"] [data-test-id="parameter-item"]').first().waitFor();
				rendered++;
				if (screenshotsOf.has(`${r.name}/${operation.name}`)) await screenshot(`${r.name}-${operation.name}`);
				await expectNoEditorProblems(`${r.name} → ${operation.name}`, 0);
			}
		}
		expect(rendered).toBe(resources.flatMap((r) => r.operations).length);
		await closeNode();
		await expectNoEditorProblems('after every operation');
	});

	test('the nodes panel finds Identomat (node and trigger) and the Identomat Callback Trigger', async () => {
		await openWorkflow(SANCTIONS.id);
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		const creator = page.locator('[data-test-id="node-creator"]');
		await creator.locator('[data-test-id="node-creator-search-bar"]').fill('Identomat');
		const items = creator.locator('[data-test-id="item-iterator-item"]');
		await items.first().waitFor();
		await page.waitForTimeout(500);
		// n8n's panel drops " Trigger" from trigger names and merges a trigger into the node of the same name.
		const names = await creator.locator('[data-test-id="item-iterator-item"] [data-test-id="node-creator-item-name"]').allInnerTexts();
		expect(names.map((n) => n.trim())).toEqual(expect.arrayContaining(['Identomat', 'Identomat Callback']));
		await screenshot('nodes-panel-search');

		await items.filter({ has: page.getByText('Identomat', { exact: true }) }).first().click();
		const operations = describedResources().flatMap((r) => r.operations).length;
		const triggerEvents = (types.identomatTrigger.properties as any[]).find((p) => p.name === 'event').options.length;
		await creator.getByText(`Actions (${operations})`).waitFor();
		await creator.getByText(`Triggers (${triggerEvents})`).waitFor();
		await screenshot('nodes-panel-identomat-actions');
		await page.keyboard.press('Escape');
		await expectNoEditorProblems('nodes panel');
	});
	test('the triggers on the canvas show their events by name', async () => {
		const eventNames = (type: any, param: string) =>
			Object.fromEntries((type.properties as any[]).find((p) => p.name === param).options.map((o: any) => [o.value, o.name]));
		await openWorkflow(MONITORING.id);
		const polling = await canvasNode(MONITORING.node).innerText();
		expect(polling).toContain(eventNames(types.identomatTrigger, 'event').screeningMonitoringUpdated);
		expect(polling).not.toContain('screeningMonitoringUpdated');
		await openWorkflow(CALLBACK.id);
		const callback = await canvasNode(CALLBACK.node).innerText();
		const names = eventNames(types.identomatCallbackTrigger, 'events');
		expect(callback).toContain(names['one-time-password-request']);
		expect(callback).not.toContain('one-time-password-request');
		await screenshot('callback-trigger-subtitle');
		await expectNoEditorProblems('trigger subtitles');
	});

	test("the nodes panel describes Identomat with the action node's description, for a trigger and for what happens next", async () => {
		const expected = { name: 'Identomat', description: types.identomat.description };
		// A new workflow: the panel asks for a trigger.
		await page.goto(`${n8n.baseUrl}/workflow/new`);
		await page.locator('[data-test-id="canvas-add-button"]').click();
		for (const term of ['identomat', 'kyc', 'passport']) expect({ term, ...(await identomatEntry(term)) }).toEqual({ term, ...expected });
		await screenshot('nodes-panel-trigger-view');
		await page.keyboard.press('Escape');
		// After a trigger: the panel asks what happens next.
		await openWorkflow(SANCTIONS.id);
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		for (const term of ['identomat', 'kyc', 'passport']) expect({ term, ...(await identomatEntry(term)) }).toEqual({ term, ...expected });
		await screenshot('nodes-panel-next-step-view');
		await page.keyboard.press('Escape');
		await expectNoEditorProblems('nodes panel descriptions');
	});

	test('the nodes panel finds Identomat by the words analysts type', async () => {
		await openWorkflow(SANCTIONS.id);
		await page.locator('[data-test-id="node-creator-plus-button"]').click();
		const creator = page.locator('[data-test-id="node-creator"]');
		for (const term of ['id card', 'driver license', 'mrz', 'ocr', 'selfie', 'screening', 'blacklist', 'onboarding']) {
			expect({ term, name: (await identomatEntry(term)).name }).toEqual({ term, name: 'Identomat' });
			const first = creator.locator('[data-test-id="item-iterator-item"] [data-test-id="node-creator-item-name"]').first();
			expect({ term, first: (await first.innerText()).trim() }).toEqual({ term, first: 'Identomat' });
		}
		await screenshot('nodes-panel-analyst-words');
		await page.keyboard.press('Escape');
		await expectNoEditorProblems('nodes panel, analyst words');
	});

	test('the Sanctions screening example runs from the editor with no hidden settings: one item per person searched', async () => {
		await openWorkflow(SANCTIONS.id);
		for (const setting of ['always-output-data', 'execute-once', 'continue-on-error']) {
			expect({ setting, nodes: await page.locator(`[data-test-id="canvas-node-status-${setting}"]`).count() }).toEqual({ setting, nodes: 0 });
		}
		await runOpenWorkflow('Flag for Review');
		// Ten matches for the person (Limit 10), one item on: the next node runs once. (The edge's
		// count fills in a moment after the nodes show their status.)
		expect(await settled(() => edgeLabelFrom('Search Sanctions Lists'), '1 item')).toBe('1 item');
		await screenshot('sanctions-example-run');
		await expectNoEditorProblems('sanctions example run');
	});

	test('screened again, a person already monitored is reported on the item and the example still ends in Flag for Review', async () => {
		for (let run = 0; run < 2; run++) {
			await openWorkflow(SANCTIONS.id);
			await runOpenWorkflow('Flag for Review');
		}
		expect(await canvasNode('Add to Monitoring').locator('[data-test-id="canvas-node-status-warning"]').count()).toBe(0);
		await openNode('Add to Monitoring');
		// Its output: one item, alreadyMonitored true (the table view, as the editor opens it).
		await ndv().getByText('alreadyMonitored', { exact: true }).filter({ visible: true }).first().waitFor();
		await screenshot('sanctions-example-already-monitored');
		await closeNode();
		const execution = await n8n.waitForExecution(SANCTIONS.id, { status: 'success' });
		const runData = execution.data.resultData.runData;
		expect(runData['Add to Monitoring'][0].data.main[0].map((i: any) => i.json)).toEqual([{ alreadyMonitored: true }]);
		expect(runData['Flag for Review'][0].data.main[0][0].json).toMatchObject({ fullName: 'John Doe Smith', monitoringId: 'already monitored' });
		await expectNoEditorProblems('sanctions example, already monitored');
	});

	test('before anything ran, the node after Session → Get Result offers its output fields (output schema)', async () => {
		const schemaUrl = `${n8n.baseUrl}/schemas/${PACKAGE}.identomat/1.0.0/session/getResult.json`;
		const served = await page.request.get(schemaUrl);
		expect(served.status()).toBe(200);
		const fields = Object.keys((await served.json()).properties);
		expect(fields).toEqual(expect.arrayContaining(['sessionId', 'result', 'documentNumber']));
		await openWorkflow(KYC.id);
		const ours: Array<[string, number]> = [];
		const record = (res: { url(): string; status(): number }) => {
			if (res.url().includes(`/schemas/${PACKAGE}.`)) ours.push([res.url(), res.status()]);
		};
		page.on('response', record);
		const asked = page.waitForResponse((res) => res.url() === schemaUrl);
		await openNode('Approved?');
		expect((await asked).status()).toBe(200);
		const input = page.locator('[data-test-id="ndv-input-panel"]');
		for (const field of ['sessionId', 'result', 'documentNumber']) {
			await input.getByText(field, { exact: true }).first().waitFor();
		}
		await screenshot('schema-preview-get-result');
		page.off('response', record);
		expect(ours.filter(([, status]) => status !== 200)).toEqual([]);
		await closeNode();
		await expectNoEditorProblems('schema preview');
	});

	test('running a node with a Session ID of the wrong shape shows the refusal, naming the parameter and the item; nothing reaches Identomat', async () => {
		await openWorkflow(WRONG_SHAPE.id);
		await openNode(WRONG_SHAPE.node);
		const before = sb.requests.length;
		await ndv().locator('[data-test-id="node-execute-button"]').click();
		const message = ndv().locator('[data-test-id="node-error-message"]');
		await message.waitFor();
		expect((await message.innerText()).trim()).toBe('"Session ID" in item 1 is not a session ID');
		const description = (await ndv().locator('[data-test-id="node-error-description"]').innerText()).trim();
		expect(description).toMatch(/^It has 6 characters\. A session ID is 40 lowercase letters and digits, e\.g\. [0-9a-z]{40}, as returned by Session → Create/);
		expect(sb.requests.length).toBe(before);
		await screenshot('session-id-wrong-shape');
		await closeNode();
		// The editor announces the failed run in a toast too: that one is expected here.
		const announced = problems.filter((p) => p.kind === 'toast' && p.text.includes('is not a session ID'));
		problems = problems.filter((p) => !announced.includes(p));
		await expectNoEditorProblems('wrong-shape Session ID');
	});

	test('while the editor listens for a test event, a wrong callback key is answered 401 and shows on "Refused While Testing" (never the key); the right key runs on from "Callbacks"', async () => {
		const wrongKey = 'e2e-wrong-callback-key-5c81';
		await openWorkflow(CALLBACK.id);
		expect(await callWhileListening(testCallback(wrongKey))).toEqual({ status: 401, body: { message: REFUSED } });
		await canvasNode(CALLBACK.node).locator('[data-test-id="canvas-node-status-success"]').waitFor();
		// The run is over (callWhileListening waited for that) and nothing went out on Callbacks: no
		// items on its edge, and Compose SMS shows no run.
		expect(await edgeLabelFrom(CALLBACK.node)).toBe('');
		expect(await canvasNode('Compose SMS').locator('[data-test-id^="canvas-node-status-"]').count()).toBe(0);
		await openNode(CALLBACK.node);
		expect(await outputBranches()).toEqual(['Callbacks Branch', 'Refused While Testing Branch (1 item)']);
		const refused = await outputOfBranch(1);
		for (const text of ['status', 'message', 'receivedFields', '401', REFUSED, 'callbackApiKey']) expect(refused).toContain(text);
		await screenshot('callback-refused-while-testing');
		expect(await page.content()).not.toContain(wrongKey);
		await closeNode();

		// The right key (the credential's): the callback goes out on Callbacks and the workflow runs on.
		expect(await callWhileListening(testCallback(CALLBACK_KEY))).toEqual({ status: 200, body: { received: true } });
		await canvasNode('Send SMS').locator('[data-test-id="canvas-node-status-success"]').waitFor();
		expect(await settled(() => edgeLabelFrom(CALLBACK.node), '1 item')).toBe('1 item');
		await openNode(CALLBACK.node);
		expect(await outputBranches()).toEqual(['Callbacks Branch (1 item)', 'Refused While Testing Branch']);
		expect(await outputOfBranch(0)).toContain(testCallback(CALLBACK_KEY).phoneNumber);
		await screenshot('callback-accepted-while-testing');
		expect(await page.content()).not.toContain(CALLBACK_KEY);
		await closeNode();
		await expectNoEditorProblems('callback trigger, refused and accepted while testing');
	});

	test('a picture of every example workflow', async () => {
		const pictures: string[] = [];
		for (const example of examples()) {
			await openWorkflow(example.id);
			await page.locator('[data-test-id="zoom-to-fit"]').click();
			await page.waitForTimeout(300); // the canvas animates to its new zoom
			const file = path.join(SCREENSHOTS, `canvas-${example.file}.png`);
			await page.screenshot({ path: file, clip: await canvasContent() });
			if (DOCS_IMAGES) {
				fs.mkdirSync(DOCS_IMAGES, { recursive: true });
				fs.copyFileSync(file, path.join(DOCS_IMAGES, `${example.file}.png`));
			}
			pictures.push(file);
		}
		expect(pictures).toHaveLength(examples().length);
		for (const file of pictures) expect(fs.statSync(file).size).toBeGreaterThan(10_000);
		await expectNoEditorProblems('example canvases');
	});
});
