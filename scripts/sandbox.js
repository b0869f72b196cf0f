#!/usr/bin/env node
// Starts the Identomat sandbox (sandbox/) until Ctrl-C.
// Env: SANDBOX_PORT (default 8484), SANDBOX_COMPANY_KEY, SANDBOX_SECRET_KEY (HMAC mode),
// SANDBOX_VIDEO_MB (liveness video size), SANDBOX_LOG=1 (one line per request, never bodies).
'use strict';
const { startSandbox } = require('../sandbox/index.ts');

async function main() {
	const env = process.env;
	const port = env.SANDBOX_PORT === undefined ? 8484 : Number(env.SANDBOX_PORT);
	const videoMb = Number(env.SANDBOX_VIDEO_MB);
	const sb = await startSandbox({
		port,
		companyKey: env.SANDBOX_COMPANY_KEY || undefined,
		secretKey: env.SANDBOX_SECRET_KEY || undefined,
		videoBytes: videoMb > 0 ? Math.round(videoMb * 1024 * 1024) : undefined,
	});
	console.log('Identomat sandbox running');
	console.log(`  Widget base URL: ${sb.widgetBaseUrl}`);
	console.log(`  API base URL:    ${sb.apiBaseUrl}`);
	console.log(`  Company key:     ${sb.companyKey}`);
	if (sb.secretKey) console.log('  HMAC mode:       on (secret from SANDBOX_SECRET_KEY)');
	console.log(`  Widget page:     ${sb.url}/?session_token=<session id>`);
	console.log(`  Control:         ${sb.url}/__sandbox/ (see sandbox/README.md)`);
	console.log('Press Ctrl-C to stop.');
	let stopping = false;
	const stop = () => {
		if (stopping) return;
		stopping = true;
		sb.close().then(() => process.exit(0));
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

main().catch((err) => {
	console.error(`Could not start the sandbox: ${err.message}`);
	process.exit(1);
});
