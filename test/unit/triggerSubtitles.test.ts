/** The canvas subtitles of the two triggers read the events' display names, not their values. */
import type { INode, INodeType } from 'n8n-workflow';

import { IdentomatCallbackTrigger } from '../../nodes/IdentomatCallbackTrigger/IdentomatCallbackTrigger.node';
import { IdentomatTrigger } from '../../nodes/IdentomatTrigger/IdentomatTrigger.node';
import { buildWorkflow } from '../../harness/runner';

function subtitleOf(node: INodeType, parameters: INode['parameters']) {
	const workflowNode: INode = { id: '1', name: 'Trigger', type: node.description.name, typeVersion: 1, position: [0, 0], parameters };
	return buildWorkflow(workflowNode, node).expression.getSimpleParameterValue(workflowNode, node.description.subtitle!, 'manual', {});
}

test.each([
	['screeningMonitoringUpdated', 'Screening Monitoring Updated'],
	['personAddedToMonitoring', 'Person Added to Monitoring'],
	['blacklistRecordAdded', 'Blacklist Record Added'],
])('Identomat Trigger, event %s: "%s"', (event, expected) => {
	expect(subtitleOf(new IdentomatTrigger(), { event })).toBe(expected);
});

test('Identomat Callback Trigger: the chosen events by name, an unknown value as it is', () => {
	const events = ['one-time-password-request', 'share-session-link-via-sms', 'something-new'];
	expect(subtitleOf(new IdentomatCallbackTrigger(), { events })).toBe('One-Time Password Request, Share Session Link via SMS, something-new');
});
