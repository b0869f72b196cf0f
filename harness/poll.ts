/**
 * Runs a polling trigger in-process through n8n-core's real PollContext, the way n8n's poll
 * ticks do: the same Workflow (and so the same node static data) is kept between polls, and a
 * restart builds a new Workflow from the static data as it was saved (a JSON round trip, as the
 * database would store it).
 */
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeType, Workflow, WorkflowExecuteMode } from 'n8n-workflow';

import { buildAdditionalData, buildWorkflow, PollContext } from './runner';

export interface PollingTriggerOptions {
	nodeType: INodeType;
	typeName: string;
	parameters: IDataObject;
	credentials: ICredentialDataDecryptedObject;
	credentialType?: string;
	staticData?: IDataObject;
	/** n8n's time budget per poll (`getPollBudgetMs`); n8n-core's default is 5 minutes. */
	pollBudgetMs?: number;
}

export class PollingTrigger {
	workflow: Workflow;

	readonly node: INode;

	polls = 0;

	constructor(private readonly options: PollingTriggerOptions) {
		const credentialType = options.credentialType ?? 'identomatApi';
		this.node = {
			id: 'trigger-under-test',
			name: 'Identomat Trigger',
			type: options.typeName,
			typeVersion: 1,
			position: [0, 0],
			parameters: options.parameters as INode['parameters'],
			credentials: { [credentialType]: { id: '1', name: 'Identomat account' } },
		};
		this.workflow = buildWorkflow(this.node, options.nodeType, options.staticData);
	}

	/** One poll tick; `manual` is the editor's "Fetch Test Event". Returns the emitted JSON, or null. */
	async poll(mode: WorkflowExecuteMode = 'trigger'): Promise<IDataObject[] | null> {
		this.polls++;
		const credentialType = this.options.credentialType ?? 'identomatApi';
		const node = this.workflow.getNode(this.node.name)!;
		const context = new PollContext(
			this.workflow,
			node,
			buildAdditionalData(credentialType, this.options.credentials),
			mode,
			mode === 'manual' ? 'manual' : 'activate',
			undefined,
			undefined,
			undefined,
			undefined,
			undefined,
			this.options.pollBudgetMs === undefined ? undefined : () => this.options.pollBudgetMs!,
		);
		const result = await this.options.nodeType.poll!.call(context);
		if (result === null) return null;
		return result[0].map((item) => item.json);
	}

	/** The node's static data as n8n would save it. */
	saved(): IDataObject {
		return JSON.parse(JSON.stringify(this.workflow.staticData)) as IDataObject;
	}

	nodeStaticData(): IDataObject {
		return this.workflow.getStaticData('node', this.workflow.getNode(this.node.name)!);
	}

	/** n8n restarted: a new Workflow from the saved static data. */
	restart() {
		this.workflow = buildWorkflow(this.node, this.options.nodeType, this.saved());
	}
}
