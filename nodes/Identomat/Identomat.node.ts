import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resourceProperties, resourceProperty, subtitle } from './actions/resources';
import { requestOptionsProperty, router } from './actions/router';
import { listSearch, loadOptions } from './methods';

export class Identomat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Identomat',
		name: 'identomat',
		icon: { light: 'file:../../icons/identomat.svg', dark: 'file:../../icons/identomat.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle,
		description:
			'Verify identities with Identomat: KYC sessions, documents, liveness, face match, AML screening and monitoring, blacklists and video KYC',
		defaults: { name: 'Identomat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'identomatApi', required: true }],
		// Session → Create's link opens the person's session for whoever holds it: as good as a
		// password for that check. The session ID stays visible (every operation names sessions by
		// it, and it opens nothing without the company key). n8n 2.41.1 does not apply this yet
		// (README, "Personal data").
		sensitiveOutputFields: ['sessionUrl'],
		properties: [resourceProperty, ...resourceProperties, requestOptionsProperty],
	};

	methods = { loadOptions, listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
