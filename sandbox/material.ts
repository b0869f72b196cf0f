/**
 * What the sandbox offers a person trying the nodes: the sample files (who they show, what the
 * sandbox answers for them) and the test endpoints. One list, shown on the sandbox's home page, at
 * /__sandbox/fixtures and in the demo's printout.
 */
import path from 'node:path';
import { FIXTURES_DIR, fixtures } from './media.ts';
import { escapeHtml } from './util.ts';

const FIXTURE_NOTES: Record<string, string> = {
	'card-front.jpg': "John Doe's ID card, front: Document → Read ID Card Front reads it",
	'card-back.jpg': "John Doe's ID card, back, with its MRZ",
	'passport.jpg': "John Doe's passport photo page",
	'face.jpg': 'A selfie of John Doe: Face → Compare with the ID card says same person',
	'face-document.jpg': 'John Doe, cut out of his document',
	'document-face.jpg': 'John Doe, the portrait of his document',
	'face-other.jpg': 'Someone else: Face → Compare with John Doe says not the same person',
	'face-small.jpg': 'A face too small to compare (FACE_FAR_AWAY)',
	'no-document.jpg': 'A photo with no document on it (DOCUMENT_NOT_FOUND)',
	'utility-bill.jpg': 'A utility bill (proof of address)',
	'marker.png': 'A document security feature (visual marker)',
	'marker-2.png': 'Another visual marker',
	'liveness.webm': 'A one-second liveness video',
};

/** The sample files: name, where it is served, where it is on disk, what it shows. */
function sampleFiles(baseUrl: string) {
	return Object.keys(fixtures)
		.sort()
		.map((name) => ({
			name,
			url: `${baseUrl}/__sandbox/fixtures/${name}`,
			file: path.join(FIXTURES_DIR, name),
			bytes: fixtures[name].length,
			note: FIXTURE_NOTES[name] ?? '',
		}));
}

/** The control endpoints a person uses by hand (the full list: sandbox/README.md). */
const TEST_ENDPOINTS = [
	{ method: 'POST', path: 'sessions', body: '{"result":"approved"}', does: 'makes a finished session and answers its ID, to try the Session and Session Media operations' },
	{ method: 'POST', path: 'sessions/<session id>/complete', body: '{"result":"rejected"}', does: 'finishes a session started by Session → Create' },
	{ method: 'POST', path: 'monitoring/touch', body: '{}', does: 'marks every monitored person as updated: the Identomat Trigger (Screening Monitoring Updated) fires at its next poll' },
	{ method: 'POST', path: 'callbacks', body: '{"url":"<callback trigger URL>","body":{…}}', does: 'sends a company callback to that URL as Identomat does, and answers what it got back' },
	{ method: 'GET', path: 'fixtures', body: '', does: 'lists the sample files' },
	{ method: 'GET', path: 'requests', body: '', does: 'what the sandbox received, in order (never the bodies of files)' },
	{ method: 'POST', path: 'reset', body: '{}', does: 'back to the seeded data' },
];

/** Both lists as HTML, for the home page and /__sandbox/fixtures. */
function materialHtml(baseUrl: string) {
	const files = sampleFiles(baseUrl)
		.map((f) => `<li><a href="${escapeHtml(f.url)}"><code>${escapeHtml(f.name)}</code></a> ${escapeHtml(f.note)}</li>`)
		.join('\n');
	const endpoints = TEST_ENDPOINTS.map(
		(e) => `<li><code>${e.method} ${escapeHtml(`${baseUrl}/__sandbox/${e.path}`)}</code>${e.body ? ` <code>${escapeHtml(e.body)}</code>` : ''}: ${escapeHtml(e.does)}</li>`,
	).join('\n');
	return `<h2>Sample files</h2>
<p>In <code>${escapeHtml(FIXTURES_DIR)}</code>, and served here:</p>
<ul>
${files}
</ul>
<h2>Test endpoints</h2>
<p>JSON in and out, no key.</p>
<ul>
${endpoints}
</ul>`;
}

export { FIXTURE_NOTES, TEST_ENDPOINTS, sampleFiles, materialHtml };
