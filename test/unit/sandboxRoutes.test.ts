/**
 * The sandbox serves exactly the endpoints the nodes declare (nodes/shared/api/endpoints.ts): a
 * route for every declaration and a declaration for every route, each route resolving the session
 * and reading the body its declaration says.
 */
import { ENDPOINTS } from '../../nodes/shared/api/endpoints';
import { ROUTES, routeKeys } from '../../sandbox/index.ts';

const key = ({ host, path }: { host: string; path: string }) => `${host} ${path}`;
const declared = Object.entries(ENDPOINTS);

test('every declared endpoint has a sandbox route, and every sandbox route is declared', () => {
	expect(routeKeys().map(key).sort()).toEqual(declared.map(([, endpoint]) => key(endpoint)).sort());
});

test.each(declared)('%s: the sandbox route names a session and takes the body as declared', (_name, endpoint) => {
	const route = ROUTES.find((r) => key(r) === key(endpoint));
	expect(route).toBeDefined();
	expect(Boolean(route?.session)).toBe(endpoint.session);
	// The widget host reads any encoding; on the API host only a multipart endpoint takes one.
	if (endpoint.host === 'api') expect(Boolean(route?.multipart)).toBe(endpoint.body === 'multipart');
});
