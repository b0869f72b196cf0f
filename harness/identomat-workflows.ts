/**
 * What the end-to-end suite and the queue bench import into n8n: the credentials, and two
 * test-only workflows that run many operations in one execution each (every resource, the binary
 * operations, and the failures users meet most). The example workflows: test/e2e/examples.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ROOT, type CredentialImport, type N8nInstance } from './n8n';

export const PACKAGE = 'n8n-nodes-identomat';
export const CALLBACK_KEY = 'e2e-callback-key';

export const CREDENTIAL = { id: 'identomat-sandbox', name: 'Identomat Sandbox' };
export const WRONG_KEY_CREDENTIAL = { id: 'identomat-wrong-key', name: 'Identomat Wrong Key' };
/** The bearer token example 7's MCP Server Trigger asks for (the demo makes a random one). */
export const MCP_TOKEN_CREDENTIAL = { id: 'identomat-mcp-token', name: 'Identomat MCP token' };
export const MCP_TOKEN = 'e2e-mcp-bearer-token-7c41d0';

export interface SandboxLike {
	url: string;
	companyKey: string;
	widgetBaseUrl: string;
	apiBaseUrl: string;
}

export function credentials(sb: SandboxLike): CredentialImport[] {
	const data = { widgetBaseUrl: sb.widgetBaseUrl, apiBaseUrl: sb.apiBaseUrl, callbackApiKey: CALLBACK_KEY };
	return [
		{ ...CREDENTIAL, type: 'identomatApi', data: { ...data, apiKey: sb.companyKey } },
		{ ...WRONG_KEY_CREDENTIAL, type: 'identomatApi', data: { ...data, apiKey: 'not-the-company-key' } },
		{ ...MCP_TOKEN_CREDENTIAL, type: 'httpBearerAuth', data: { token: MCP_TOKEN } },
	];
}

/** Node types the packed package declares (`identomat`, `identomatTrigger`, …). */
export function packagedNodeTypes(packageJsonPath = path.join(ROOT, 'package.json')): string[] {
	const pkg = JSON.parse(fs.readFileSync(packageJsonPath, 'utf8'));
	return (pkg.n8n?.nodes ?? []).map((p: string) => {
		const base = path.basename(p).replace(/\.node\.js$/, '');
		return base.charAt(0).toLowerCase() + base.slice(1);
	});
}

// ---------------------------------------------------------------------------------------------
// Test-only workflows

export type Pair = [from: string, to: string, output?: number, input?: number];

export function connections(pairs: Pair[]) {
	const c: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }> = {};
	for (const [from, to, out = 0, input = 0] of pairs) {
		c[from] ??= { main: [] };
		while (c[from].main.length <= out) c[from].main.push([]);
		c[from].main[out].push({ node: to, type: 'main', index: input });
	}
	return c;
}

let counter = 0;
export function node(name: string, type: string, typeVersion: number, parameters: object, x: number, y: number, extra: object = {}) {
	return { id: `e2e-${++counter}`, name, type, typeVersion, position: [x, y], parameters, ...extra };
}

export function identomat(name: string, x: number, y: number, resource: string, operation: string, params: object = {}, extra: object = {}) {
	return node(name, `${PACKAGE}.identomat`, 1, { resource, operation, ...params }, x, y, {
		credentials: { identomatApi: CREDENTIAL },
		executeOnce: true,
		...extra,
	});
}

function download(name: string, x: number, y: number, sandboxUrl: string, fixture: string, field: string) {
	return node(name, 'n8n-nodes-base.httpRequest', 4.2, {
		url: `${sandboxUrl}/__sandbox/fixtures/${fixture}`,
		options: { response: { response: { responseFormat: 'file', outputPropertyName: field } } },
	}, x, y);
}

const MANUAL = 'Manual';
const SESSION = "={{ $('New Session').first().json.sessionId }}";

/**
 * One execution through every resource: a finished session made by the sandbox (with an active
 * video call), then one node per operation below, each run once. A second branch downloads the
 * sandbox's images and reads a document and compares faces.
 */
export function allResourcesWorkflow(sandboxUrl: string) {
	const chain: Array<ReturnType<typeof node>> = [
		identomat('Get Result', 0, 0, 'session', 'getResult', { sessionId: SESSION, output: 'simplified' }),
		identomat('Get Activities', 0, 0, 'session', 'getActivities', { sessionId: SESSION }),
		identomat('Get Statistics', 0, 0, 'session', 'getStatistics', { sessionId: SESSION }),
		identomat('Get Document Front', 0, 0, 'media', 'getCardFront', { sessionId: SESSION, binaryPropertyName: 'data' }),
		identomat('Get Liveness Video', 0, 0, 'media', 'getFaceVideo', { sessionId: SESSION, binaryPropertyName: 'video' }),
		identomat('Get Document Face Photo', 0, 0, 'media', 'getDocumentFacePhoto', { sessionId: SESSION, binaryPropertyName: 'data' }),
		identomat('Get Visual Markers', 0, 0, 'media', 'getVisualMarkers', { sessionId: SESSION, binaryPropertyName: 'data', options: {} }),
		identomat('Export PDF', 0, 0, 'session', 'exportPdf', { sessionId: SESSION, exportSession: true, exportScreening: true, exportProofOfAddress: false, binaryPropertyName: 'report' }),
		identomat('Get Shots', 0, 0, 'videoCall', 'getShots', { sessionId: SESSION, binaryPropertyName: 'data', options: {} }),
		identomat('Get Recordings', 0, 0, 'videoCall', 'getRecordings', { sessionId: SESSION, binaryPropertyName: 'data', options: {} }),
		identomat('End Video Call', 0, 0, 'videoCall', 'end', { sessionId: SESSION }),
		identomat('Screening Search', 0, 0, 'screening', 'search', { fullName: 'John Doe Smith', scoreThreshold: 80, returnAll: false, limit: 5, options: {} }),
		identomat('Screening Get Person', 0, 0, 'screening', 'getPerson', { personId: "={{ $('Screening Search').first().json.matches[0].personId }}" }),
		identomat('Add to Monitoring', 0, 0, 'screening', 'addToMonitoring', { fullName: 'E2E Monitored Person', options: {} }),
		identomat('Blacklist Add', 0, 0, 'blacklist', 'add', { reason: 'e2e: forged documents', firstName: 'Eve', lastName: 'Forger', documentNumber: 'E2E-0001' }),
		identomat('Blacklist Get Many', 0, 0, 'blacklist', 'getMany', { returnAll: true }),
		identomat('Group Get Many', 0, 0, 'group', 'getMany', { returnAll: true }),
		identomat('User Get Many', 0, 0, 'user', 'getMany', { returnAll: true }),
		identomat('Configuration Get', 0, 0, 'configuration', 'get', { sessionConfigId: '62412c096c4b39ba845d4bf2' }),
		identomat('Create Session', 0, 0, 'session', 'create', { configId: '', options: { language: 'de', returnUrl: 'https://crm.example.com/done' } }),
		identomat('Delete Session', 0, 0, 'session', 'delete', { sessionId: "={{ $('Create Session').first().json.sessionId }}" }),
	];
	chain.forEach((n, i) => (n.position = [440 + 220 * (i % 7), 220 * Math.floor(i / 7)]));
	const nodes = [
		node(MANUAL, 'n8n-nodes-base.manualTrigger', 1, {}, 0, 0),
		node('New Session', 'n8n-nodes-base.httpRequest', 4.2, {
			method: 'POST',
			url: `${sandboxUrl}/__sandbox/sessions`,
			sendBody: true,
			specifyBody: 'json',
			jsonBody: '{"result": "approved", "activeVideoCall": true}',
			options: {},
		}, 220, 0),
		...chain,
		download('Card Photo', 220, 900, sandboxUrl, 'card-front.jpg', 'data'),
		identomat('Read ID Card Front', 440, 900, 'document', 'readIdCardFront', { binaryPropertyName: 'data', output: 'simplified' }),
		identomat('Read Passport', 660, 900, 'document', 'readPassport', { binaryPropertyName: 'data', output: 'raw' }, { executeOnce: false }),
		download('Face Photo', 220, 1100, sandboxUrl, 'face.jpg', 'face1'),
		download('Document Face', 220, 1300, sandboxUrl, 'document-face.jpg', 'face2'),
		node('Both Faces', 'n8n-nodes-base.merge', 3, { mode: 'combine', combineBy: 'combineByPosition', options: {} }, 440, 1200),
		identomat('Face Compare', 660, 1200, 'face', 'compare', { binaryPropertyName: 'face1', secondBinaryPropertyName: 'face2', options: { matchThreshold: 0.5 } }),
	];
	const pairs: Pair[] = [[MANUAL, 'New Session'], ['New Session', chain[0].name]];
	for (let i = 1; i < chain.length; i++) pairs.push([chain[i - 1].name, chain[i].name]);
	// Read Passport takes the card photo too (its input is the download's item, not Read ID Card Front's).
	pairs.push([MANUAL, 'Card Photo'], ['Card Photo', 'Read ID Card Front'], ['Card Photo', 'Read Passport']);
	pairs.push([MANUAL, 'Face Photo'], [MANUAL, 'Document Face'], ['Face Photo', 'Both Faces', 0, 0], ['Document Face', 'Both Faces', 0, 1], ['Both Faces', 'Face Compare']);
	return {
		id: 'e2eIdmtAllRes01',
		name: 'E2E: every resource',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections: connections(pairs),
	};
}

/**
 * The failures users meet most: an unknown session (Continue On Fail: the message lands in the
 * item) and then a wrong company key (stops the execution: the message is the execution's error).
 */
export function failuresWorkflow() {
	const nodes = [
		node(MANUAL, 'n8n-nodes-base.manualTrigger', 1, {}, 0, 0),
		identomat('Unknown Session', 220, 0, 'session', 'getResult', { sessionId: 'nosuchsession000000000000000000000000000', output: 'simplified' }, { onError: 'continueRegularOutput' }),
		identomat('Wrong Key', 440, 0, 'session', 'getResult', { sessionId: 'nosuchsession000000000000000000000000000', output: 'simplified' }, {
			credentials: { identomatApi: WRONG_KEY_CREDENTIAL },
		}),
	];
	return {
		id: 'e2eIdmtFailure1',
		name: 'E2E: failures',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections: connections([[MANUAL, 'Unknown Session'], ['Unknown Session', 'Wrong Key']]),
	};
}

/**
 * The person finishes their session on the sandbox's widget page (Approve / Reject), which
 * answers 303 to the session's return URL; resolves with that answer.
 */
export async function finishOnSandboxPage(sessionUrl: string, decision = 'approved'): Promise<Response> {
	return await fetch(sessionUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: `decision=${decision}`,
		redirect: 'manual',
	});
}

// ---------------------------------------------------------------------------------------------
// Reading what comes out

/** The bytes of a binary entry of an item n8n printed or stored: inline base64, or n8n's filesystem store. */
export function binaryBytes(n8n: N8nInstance, binary: { data?: string; id?: string }): Buffer {
	if (binary.id && /^filesystem(-v2)?:/.test(binary.id)) {
		const rel = binary.id.replace(/^filesystem(-v2)?:/, '');
		for (const dir of ['storage', 'binaryData']) {
			const file = path.join(n8n.n8nFolder, dir, rel);
			if (fs.existsSync(file)) return fs.readFileSync(file);
		}
		throw new Error(`binary ${binary.id} not found under ${n8n.n8nFolder}`);
	}
	if (typeof binary.data !== 'string') throw new Error(`binary without data: ${JSON.stringify(binary)}`);
	return Buffer.from(binary.data, 'base64');
}
