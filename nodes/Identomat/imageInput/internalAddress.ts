/**
 * Whether a link points into an internal network, judged from the link alone, before any
 * connection (so a refusal tells nothing about what is out there). The host is taken as the WHATWG
 * URL parser leaves it: IPv4 in any spelling (`2130706433`, `0x7f.1`, `0177.0.0.1`) is already
 * dotted decimal, IPv6 is in brackets. A public name that resolves to an internal address cannot be
 * seen here (the node may not resolve names): n8n's SSRF protection covers that (README).
 */

type Range = [first: number, bits: number, what: string];

const v4 = (a: number, b = 0, c = 0, d = 0) => ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;

const IPV4_RANGES: Range[] = [
	[v4(0), 8, 'a "this network" address'],
	[v4(10), 8, 'a private network address'],
	[v4(100, 64), 10, 'a carrier-grade NAT address'],
	[v4(127), 8, 'a loopback address'],
	[v4(169, 254), 16, 'a link-local address (where cloud metadata services live)'],
	[v4(172, 16), 12, 'a private network address'],
	[v4(192, 0, 0), 24, 'a reserved address'],
	[v4(192, 168), 16, 'a private network address'],
	[v4(198, 18), 15, 'a reserved address'],
	[v4(224), 4, 'a multicast address'],
	[v4(240), 4, 'a reserved address'],
];

/** Names that only mean something inside a network (RFC 6761, 6762, 8375, ICANN's `.internal`). */
const INTERNAL_SUFFIXES = ['localhost', 'internal', 'local', 'home.arpa', 'lan'];

function ipv4Number(text: string): number | undefined {
	const parts = text.split('.');
	if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) < 256))
		return undefined;
	return v4(...(parts.map(Number) as [number, number, number, number]));
}

function ipv4Reason(address: number): string | undefined {
	for (const [first, bits, what] of IPV4_RANGES) {
		const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
		if ((address & mask) >>> 0 === first) return what;
	}
	return undefined;
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part allowed), if it is one. */
function ipv6Groups(address: string): number[] | undefined {
	let text = address;
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (dotted) {
		const value = ipv4Number(dotted[1]);
		if (value === undefined) return undefined;
		text = `${text.slice(0, dotted.index)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
	}
	const halves = text.split('::');
	if (halves.length > 2) return undefined;
	const groupsOf = (part: string) => (part === '' ? [] : part.split(':'));
	const [head, tail = []] = halves.map(groupsOf);
	if (![...head, ...tail].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
	const missing = 8 - head.length - tail.length;
	if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
	const zeros = halves.length === 2 ? new Array<string>(missing).fill('0') : [];
	return [...head, ...zeros, ...tail].map((g) => parseInt(g, 16));
}

function ipv6Reason(groups: number[]): string | undefined {
	const embeddedV4 = (high: number, low: number) => ipv4Reason(((high << 16) | low) >>> 0);
	const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
	const zeroPrefix = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
	// ::a.b.c.d (which includes :: and ::1) and ::ffff:a.b.c.d (IPv4-mapped): the IPv4 address decides.
	if (zeroPrefix && (g5 === 0 || g5 === 0xffff)) {
		const reason = embeddedV4(g6, g7);
		return reason && `${reason} (written as IPv6)`;
	}
	// NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::) carry an IPv4 address too.
	if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
		const reason = embeddedV4(g6, g7);
		return reason && `${reason} (written as IPv6)`;
	}
	if (g0 === 0x2002) {
		const reason = embeddedV4(g1, g2);
		return reason && `${reason} (written as IPv6)`;
	}
	if ((g0 & 0xfe00) === 0xfc00) return 'a unique-local (private) IPv6 address';
	if ((g0 & 0xffc0) === 0xfe80) return 'a link-local IPv6 address';
	if ((g0 & 0xffc0) === 0xfec0) return 'a site-local IPv6 address';
	if ((g0 & 0xff00) === 0xff00) return 'a multicast address';
	return undefined;
}

/**
 * Why the host of `url` is internal (e.g. "a loopback address"), or undefined for a public
 * address or name.
 */
export function internalAddressReason(url: URL): string | undefined {
	const host = url.hostname.toLowerCase().replace(/\.$/, '');
	if (host.startsWith('[') && host.endsWith(']')) {
		const groups = ipv6Groups(host.slice(1, -1));
		return groups ? ipv6Reason(groups) : 'an address that is not a valid IPv6 address';
	}
	const ipv4 = ipv4Number(host);
	if (ipv4 !== undefined) return ipv4Reason(ipv4);
	if (host === 'localhost' || host.endsWith('.localhost')) return 'a name for this machine';
	if (!host.includes('.')) return 'a name without a domain, which only an internal network knows';
	if (INTERNAL_SUFFIXES.some((suffix) => host.endsWith(`.${suffix}`)))
		return 'a name of an internal network';
	return undefined;
}
