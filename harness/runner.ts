/**
 * Runs the real node classes in-process through n8n-core's public contexts (ExecuteContext,
 * PollContext), with the real credential `authenticate`, the real HTTP stack
 * (`httpRequestWithAuthentication`) and the real binary data service, in `default` or
 * `filesystem` mode. Only the credential store is ours: it hands out the given credential data,
 * as n8n's own CredentialsHelper does after decrypting it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

process.env.N8N_USER_FOLDER ??= mkdtempSync(path.join(tmpdir(), 'identomat-n8n-'));

import {
	BinaryDataConfig,
	BinaryDataService,
	ExecuteContext,
	PollContext,
} from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentialsHelper, Workflow, createRunExecutionData } from 'n8n-workflow';

import { IdentomatApi } from '../credentials/IdentomatApi.credentials';

// n8n-core's own copy of the DI container: other dev tools bring older copies of @n8n/di.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Container } = require(require.resolve('@n8n/di', { paths: [path.dirname(require.resolve('n8n-core'))] })) as typeof import('@n8n/di');
import { Identomat } from '../nodes/Identomat/Identomat.node';

export type BinaryMode = 'default' | 'filesystem';

const credentialTypes: Record<string, ICredentialType> = { identomatApi: new IdentomatApi() };

/** How often n8n asked for a credential to be decrypted (in n8n: a database read and a decryption). */
export const credentialDecryptions = { count: 0 };

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly store: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes() {
		return [];
	}

	async authenticate(credentials: ICredentialDataDecryptedObject, typeName: string, request: IHttpRequestOptions) {
		const type = credentialTypes[typeName];
		if (typeof type?.authenticate === 'function') return await type.authenticate(credentials, request);
		return request;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getDecrypted(_data: unknown, _details: unknown, type: string) {
		credentialDecryptions.count++;
		const credentials = this.store[type];
		if (!credentials) throw new Error(`No test credentials of type ${type}`);
		return { ...credentials };
	}

	async getCredentials(): Promise<never> {
		throw new Error('not used in tests');
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}
}

let currentMode: BinaryMode | undefined;

/** Switches n8n's binary data service between keeping files in memory and on disk. */
export async function useBinaryMode(mode: BinaryMode) {
	if (currentMode === mode) return;
	const config = Container.get(BinaryDataConfig);
	config.mode = mode;
	config.localStoragePath = mkdtempSync(path.join(tmpdir(), 'identomat-binary-'));
	await Container.get(BinaryDataService).init();
	currentMode = mode;
}

export function nodeTypesWith(types: Record<string, INodeType>): INodeTypes {
	return {
		getByName: (name: string) => types[name],
		getByNameAndVersion: (name: string) => types[name],
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
}

export interface NodeRun {
	/** Node type instance (defaults to the Identomat node). */
	nodeType?: INodeType;
	typeName?: string;
	typeVersion?: number;
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	credentialType?: string;
	items?: INodeExecutionData[];
	continueOnFail?: boolean;
	mode?: WorkflowExecuteMode;
}

let executionCounter = 0;

export function buildAdditionalData(
	credentialsType: string,
	credentials: ICredentialDataDecryptedObject,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper: new TestCredentialsHelper({ [credentialsType]: credentials }),
		executionId: String(++executionCounter),
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		variables: {},
		currentNodeParameters: undefined,
		userId: 'test-user',
		setExecutionStatus: () => {},
		hooks: undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export function buildWorkflow(node: INode, nodeType: INodeType, staticData?: IDataObject) {
	return new Workflow({
		id: 'wf-test',
		name: 'test',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: nodeTypesWith({ [node.type]: nodeType }),
		staticData,
	});
}

/** The ExecuteContext n8n would give the node for this run (to call transport functions directly). */
export function contextFor(run: NodeRun): { context: ExecuteContext; nodeType: INodeType } {
	const nodeType = run.nodeType ?? new Identomat();
	const typeName = run.typeName ?? 'n8n-nodes-identomat.identomat';
	const credentialType = run.credentialType ?? 'identomatApi';
	const node: INode = {
		id: 'node-under-test',
		name: 'Identomat',
		type: typeName,
		typeVersion: run.typeVersion ?? 1,
		position: [0, 0],
		parameters: run.parameters as INode['parameters'],
		credentials: { [credentialType]: { id: '1', name: 'Identomat account' } },
		continueOnFail: run.continueOnFail ?? false,
		onError: run.continueOnFail ? 'continueRegularOutput' : undefined,
	};
	const workflow = buildWorkflow(node, nodeType);
	const items = run.items ?? [{ json: {} }];
	const additionalData = buildAdditionalData(credentialType, run.credentials);
	const runExecutionData: IRunExecutionData = createRunExecutionData({});
	const workflowNode = workflow.getNode(node.name)!;
	const context = new ExecuteContext(
		workflow,
		workflowNode,
		additionalData,
		run.mode ?? 'manual',
		runExecutionData,
		0,
		items,
		{ main: [items] },
		{ node: workflowNode, data: { main: [items] }, source: { main: [{ previousNode: 'Input' }] } },
		[],
	);
	return { context, nodeType };
}

/** Runs one node over the given items, as n8n would run it inside a workflow. */
export async function runNode(run: NodeRun): Promise<INodeExecutionData[][]> {
	const { context, nodeType } = contextFor(run);
	return (await nodeType.execute!.call(context)) as INodeExecutionData[][];
}

export { ExecuteContext, PollContext };

/** Stores a file in n8n's binary data service, as an upstream node would, and returns the item. */
export async function itemWithFile(
	json: IDataObject,
	files: Record<string, { data: Buffer; fileName: string; mimeType: string }>,
): Promise<INodeExecutionData> {
	const service = Container.get(BinaryDataService);
	const binary: INodeExecutionData['binary'] = {};
	for (const [key, file] of Object.entries(files)) {
		const prepared = {
			data: '',
			mimeType: file.mimeType,
			fileName: file.fileName,
		} as NonNullable<INodeExecutionData['binary']>[string];
		binary[key] = await service.store({ type: 'execution', workflowId: 'wf-test', executionId: 'upstream' }, file.data, prepared);
	}
	return { json, binary };
}

/** The bytes of an output file, read back through n8n's binary data service in any mode. */
export async function fileBytes(item: INodeExecutionData, key = 'data'): Promise<Buffer> {
	const binary = item.binary?.[key];
	if (!binary) throw new Error(`no binary "${key}" on the item; keys: ${Object.keys(item.binary ?? {})}`);
	if (binary.id) return await Container.get(BinaryDataService).getAsBuffer(binary);
	return Buffer.from(binary.data, 'base64');
}
