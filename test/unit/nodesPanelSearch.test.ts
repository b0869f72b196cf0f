/**
 * The words an analyst types into n8n's nodes panel find the Identomat node. The panel of n8n
 * 2.41.1 ranks nodes with `sublimeSearch` from @n8n/utils, called with its default keys: the
 * node's displayName (weight 1.3) and its codex aliases (weight 1, from Identomat.node.json);
 * descriptions are not searched. The same function ranks our node here among every node of
 * n8n-nodes-base 2.41.1, as the panel lists them (test/e2e/browser.test.ts types a few of these
 * words into the real panel).
 */
import type { INodeTypeDescription } from 'n8n-workflow';

import { Identomat } from '../../nodes/Identomat/Identomat.node';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { sublimeSearch, DEFAULT_KEYS } = require('@n8n/utils/search/sublime-search');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const n8nNodes: INodeTypeDescription[] = require('n8n-nodes-base/dist/types/nodes.json');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const codex = require('../../nodes/Identomat/Identomat.node.json');

interface PanelItem {
	key: string;
	properties: { displayName: string; codex?: { alias?: string[] } };
}

const OURS = 'n8n-nodes-identomat.identomat';
const items: PanelItem[] = [
	...n8nNodes.map((n) => ({ key: n.name, properties: { displayName: n.displayName, codex: n.codex } })),
	{ key: OURS, properties: { displayName: new Identomat().description.displayName, codex } },
];

/** Where the Identomat node comes in the panel's results for `term` (1 = first), or 0: not found. */
function rankOf(term: string): number {
	const results: Array<{ item: PanelItem }> = sublimeSearch(term.toLowerCase(), items, DEFAULT_KEYS);
	return results.findIndex((r) => r.item.key === OURS) + 1;
}

test('the panel searches names and aliases (what this test relies on)', () => {
	expect(DEFAULT_KEYS).toEqual([
		{ key: 'properties.displayName', weight: 1.3 },
		{ key: 'properties.codex.alias', weight: 1 },
	]);
	expect(n8nNodes.length).toBeGreaterThan(400);
});

test.each([
	'id card',
	'document',
	'screening',
	'blacklist',
	'selfie',
	'driver license',
	'onboarding',
	'ocr',
	'mrz',
	'identomat',
	'kyc',
	'passport',
	'sanctions',
	'liveness',
	'identity',
	'verification',
	'aml',
	'pep',
	'ID Card',
])('"%s" finds the Identomat node first', (term) => {
	expect(rankOf(term)).toBe(1);
});

test('"face" finds it right after the Facebook nodes, whose names start with the word', () => {
	const results: Array<{ item: PanelItem }> = sublimeSearch('face', items, DEFAULT_KEYS);
	const before = results.slice(0, rankOf('face') - 1).map((r) => r.item.properties.displayName);
	expect(before.length).toBeLessThanOrEqual(3);
	for (const name of before) expect(name).toMatch(/^Facebook/);
});
