/**
 * The example workflows of `examples/` as the demo and the end-to-end tests run them: pointed at a
 * sandbox instead of the demo's address, and, because that sandbox is on 127.0.0.1 (an internal
 * address the nodes refuse to fetch by default), with "Allow Internal Addresses" turned on where an
 * Identomat node fetches an Image URL. The files themselves keep the safe default.
 */
import fs from 'node:fs';
import path from 'node:path';

const EXAMPLES_DIR = path.join(import.meta.dirname, '../examples');
/** The sandbox address the examples are written for (the demo's). */
const DEMO_SANDBOX_URL = 'http://127.0.0.1:8484';

/** An n8n workflow as exported: its nodes, and whatever else n8n keeps. */
export interface Workflow {
	id?: string;
	name?: string;
	nodes?: Array<{ type: string; parameters?: Record<string, unknown>; [field: string]: unknown }>;
	[field: string]: unknown;
}

function allowSandboxImageLinks(workflow: Workflow): Workflow {
	for (const node of workflow.nodes ?? []) {
		const isIdentomat = /^n8n-nodes-identomat\.identomat(Tool)?$/.test(node.type);
		if (isIdentomat && node.parameters?.imageSource === 'url') node.parameters.allowInternalAddresses = true;
	}
	return workflow;
}

/** Every example as `{ file, workflow }`, sorted by file name, pointed at `sandboxUrl`. */
function exampleWorkflowsFor(sandboxUrl: string): Array<{ file: string; workflow: Workflow }> {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => {
			const text = fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8').split(DEMO_SANDBOX_URL).join(sandboxUrl);
			return { file, workflow: allowSandboxImageLinks(JSON.parse(text)) };
		});
}

export { EXAMPLES_DIR, DEMO_SANDBOX_URL, exampleWorkflowsFor };
