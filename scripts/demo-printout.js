// @ts-check
'use strict';
/**
 * The "Try it" part of the demo's printout: a `curl` for every example workflow a webhook starts,
 * the sandbox's sample files and its test endpoints. Files are given by absolute path and URLs in
 * full, so each command works from any folder. Also used by the tests that run these commands.
 */
const fs = require('node:fs');
const path = require('node:path');
const { sampleFiles, TEST_ENDPOINTS } = require('../sandbox/material.ts');

const ROOT = path.resolve(__dirname, '..');
const EXAMPLES_DIR = path.join(ROOT, 'examples');

/** A shell word in single quotes. @param {string} text */
const quote = (text) => `'${text.replaceAll("'", "'\\''")}'`;

/** The example of this file name, parsed. @param {string} file */
const example = (file) => JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8'));

/** The production path of the Callback Trigger of example 5: /webhook/<its webhookId>/webhook. */
function callbackPath() {
	const trigger = example('5-callback-relay.json').nodes.find((/** @type {any} */ n) => n.type.endsWith('.identomatCallbackTrigger'));
	return `/webhook/${trigger.webhookId}/webhook`;
}

/** A one-time password request as Identomat sends it, with the demo's callback key. @param {string} callbackKey */
function testCallback(callbackKey) {
	return {
		type: 'one-time-password-request',
		sessionId: 'demo0000000000000000000000000000000000aa',
		text: 'Your verification code is 482913',
		phoneNumber: '+15550100123',
		callbackApiKey: callbackKey,
	};
}

/**
 * One entry per webhook example: its name, the command, and what comes back.
 * @param {{ baseUrl: string, sandboxUrl: string, callbackKey: string }} o
 */
function webhookCommands({ baseUrl, sandboxUrl, callbackKey }) {
	const fixture = (/** @type {string} */ name) => quote(path.join(ROOT, 'sandbox/fixtures', name));
	const json = "-H 'content-type: application/json'";
	return [
		{
			example: '1-kyc-onboarding.json',
			name: 'KYC onboarding',
			command: `curl -s -X POST ${json} -d '{"email":"ada@example.com"}' ${baseUrl}/webhook/identomat-kyc-onboarding`,
			then: 'open the sessionUrl it returns and press Approve: the waiting execution finishes.',
		},
		{
			example: '4-document-check.json',
			name: 'Document check',
			command: `curl -s -F idPhoto=@${fixture('card-front.jpg')} -F selfie=@${fixture('face.jpg')} ${baseUrl}/webhook/identomat-document-check`,
			then: 'John Doe\'s card fields and "sameFace": true. With no-document.jpg as idPhoto, the answer says what went wrong.',
		},
		{
			example: '5-callback-relay.json',
			name: 'Callback relay',
			command: `curl -s -X POST ${json} -d ${quote(JSON.stringify(testCallback(callbackKey)))} ${baseUrl}${callbackPath()}`,
			then: `{"received":true}, and a run that composes the SMS. A wrong callbackApiKey gets 401. The same from the sandbox: POST ${sandboxUrl}/__sandbox/callbacks {"url": …, "body": …}.`,
		},
	];
}

/**
 * The printout's lines from "Try it" on.
 * @param {{ baseUrl: string, sandboxUrl: string, callbackKey: string, extra?: string[] }} o `extra`: lines for the other examples
 */
function tryItLines(o) {
	const lines = ['Try it'];
	for (const c of webhookCommands(o)) {
		lines.push(`  ${c.name}:`, `    ${c.command}`, `    → ${c.then}`);
	}
	lines.push(...(o.extra ?? []), '', `Sample files (${path.join(ROOT, 'sandbox/fixtures')}, and ${o.sandboxUrl}/__sandbox/fixtures/)`);
	for (const f of sampleFiles(o.sandboxUrl)) lines.push(`  ${f.name.padEnd(18)} ${f.note}`);
	lines.push('', `Sandbox test endpoints (JSON, no key; listed on ${o.sandboxUrl}/)`);
	for (const e of TEST_ENDPOINTS) lines.push(`  ${`${e.method} /__sandbox/${e.path}`.padEnd(48)} ${e.does}`);
	return lines;
}

module.exports = { tryItLines, webhookCommands, callbackPath, testCallback };
