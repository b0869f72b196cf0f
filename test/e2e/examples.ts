/** The example workflows of `examples/` as the end-to-end suite imports them into n8n. */
import { DEMO_SANDBOX_URL, exampleWorkflowsFor, type Workflow } from '../../sandbox/exampleWorkflows.ts';

export { DEMO_SANDBOX_URL };

/** The example workflows, pointed at `sandboxUrl` (Image URL nodes allowed to fetch from it). */
export function exampleWorkflows(sandboxUrl: string): Workflow[] {
	return exampleWorkflowsFor(sandboxUrl).map((example) => example.workflow);
}
