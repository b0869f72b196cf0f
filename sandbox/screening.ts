/**
 * AML screening against a deterministic fake database, and monitoring of screening queries.
 */
import type { Answer, Internals, Listing, MonitoringRecord, Monitoring, Route, RouteContext } from './types.ts';
import { json, argumentError, objectId, str, isObject, optionalCount, optionalDate, prng } from './util.ts';

const TOPICS = [
	'Sanctioned entity',
	'Sanction-linked entity',
	'Counter-sanctioned entity',
	'Debarred entity',
	'Politician',
	'Close associate',
	'Person of interest',
	'Wanted person',
];
const FIRST = ['John', 'Maria', 'James', 'Anna', 'Robert', 'Elena', 'Michael', 'Olga', 'David', 'Sofia', 'Ahmed', 'Wei', 'Carlos', 'Fatima', 'Peter', 'Irina', 'George', 'Nino', 'Luca', 'Yusuf'];
const MIDDLE = ['Paul', 'Lee', 'Marie', 'Ivanovich', 'Alexander', 'Grace'];
const LAST = ['Smith', 'Johnson', 'Brown', 'Garcia', 'Petrov', 'Ivanova', 'Kim', 'Nguyen', 'Rossi', 'Muller', 'Kowalski', 'Beridze', 'Haddad', 'Chen', 'Silva', 'Novak', 'Jones', 'Taylor', 'Popescu', 'Yilmaz'];
const NATIONALITIES = ['US', 'GB', 'DE', 'RU', 'GE', 'FR', 'IT', 'CN', 'BR', 'TR', 'UA', 'KZ', 'AE', 'IN', 'MX'];

interface ScreeningPerson {
	personId: string;
	entityType: string;
	firstName: string;
	middleName: string | null;
	lastName: string;
	name: string;
	gender: string;
	birthdayTime: string;
	nationality: string;
	topics: string[];
	aliases: string[];
	tokens: Set<string>;
}

function tokens(s: string) {
	return new Set(
		s
			.normalize('NFKD')
			.replace(/[\u0300-\u036f]/g, '')
			.toLowerCase()
			.split(/[^\p{L}\p{N}]+/u)
			.filter(Boolean),
	);
}

function person(p: Omit<ScreeningPerson, 'name' | 'tokens'>): ScreeningPerson {
	const name = [p.firstName, p.middleName, p.lastName].filter(Boolean).join(' ');
	return { ...p, name, tokens: tokens(name) };
}

/** The database: a few named profiles and 600 generated people (seeded: the same every run). */
function buildDatabase() {
	const db: ScreeningPerson[] = [
		person({
			personId: '67137933a2176f0797f1e657',
			entityType: 'person',
			firstName: 'Vladimir',
			middleName: 'Vladimirovich',
			lastName: 'PUTIN',
			gender: 'male',
			birthdayTime: '1952-10-07',
			nationality: 'RU',
			topics: ['Sanctioned entity', 'Wanted person', 'Person of interest', 'Politician'],
			aliases: ['Vladimir Putin', 'Владимир Владимирович Путин'],
		}),
		person({
			personId: '67137933a2176f0797f1e658',
			entityType: 'person',
			firstName: 'John',
			middleName: 'Doe',
			lastName: 'Smith',
			gender: 'male',
			birthdayTime: '1952-10-07',
			nationality: 'US',
			topics: ['Politician', 'Sanctioned entity'],
			aliases: ['John Smith', '约翰·多·史密斯', 'Джон Доу Сміт'],
		}),
		person({
			personId: '67137933a2176f0797f1e659',
			entityType: 'person',
			firstName: 'Maria',
			middleName: 'Elena',
			lastName: 'Gonzalez',
			gender: 'female',
			birthdayTime: '1968-03-21',
			nationality: 'MX',
			topics: ['Politician'],
			aliases: ['Maria Gonzalez'],
		}),
		person({
			personId: '67137933a2176f0797f1e65a',
			entityType: 'person',
			firstName: 'Ivan',
			middleName: 'Petrovich',
			lastName: 'Sidorov',
			gender: 'male',
			birthdayTime: '1971-11-02',
			nationality: 'RU',
			topics: ['Sanctioned entity', 'Sanction-linked entity'],
			aliases: ['Ivan Sidorov'],
		}),
		person({
			personId: '67137933a2176f0797f1e65b',
			entityType: 'person',
			firstName: 'Ahmed',
			middleName: null,
			lastName: 'Al Rashid',
			gender: 'male',
			birthdayTime: '1980-06-15',
			nationality: 'AE',
			topics: ['Close associate'],
			aliases: ['Ahmad Al-Rashid'],
		}),
	];
	const rnd = prng(20250115);
	const pick = (list: string[]) => list[Math.floor(rnd() * list.length)];
	const hex = () => {
		let s = '';
		for (let i = 0; i < 24; i++) s += Math.floor(rnd() * 16).toString(16);
		return s;
	};
	for (let i = 0; i < 600; i++) {
		const firstName = rnd() < 0.3 ? 'John' : pick(FIRST);
		const lastName = rnd() < 0.3 ? 'Smith' : pick(LAST);
		const middleName = rnd() < 0.1 ? pick(MIDDLE) : null;
		const female = ['Maria', 'Anna', 'Elena', 'Olga', 'Sofia', 'Fatima', 'Irina', 'Nino'].includes(firstName);
		const birth = new Date(Date.UTC(1940 + Math.floor(rnd() * 62), Math.floor(rnd() * 12), 1 + Math.floor(rnd() * 28)));
		const topics = [pick(TOPICS)];
		if (rnd() < 0.3) {
			const t = pick(TOPICS);
			if (!topics.includes(t)) topics.push(t);
		}
		db.push(
			person({
				personId: hex(),
				entityType: 'person',
				firstName,
				middleName,
				lastName: rnd() < 0.3 ? lastName.toUpperCase() : lastName,
				gender: female ? 'female' : 'male',
				birthdayTime: birth.toISOString().slice(0, 10),
				nationality: pick(NATIONALITIES),
				topics,
				aliases: [],
			}),
		);
	}
	return db;
}

const DATABASE = buildDatabase();
const BY_ID = new Map(DATABASE.map((p) => [p.personId, p]));

/** Name-token overlap (Dice), 0..100. */
function score(q: Set<string>, n: Set<string>) {
	let common = 0;
	for (const t of q) if (n.has(t)) common++;
	return Math.round((200 * common) / (q.size + n.size));
}

function details(p: ScreeningPerson) {
	const profile = [
		{ propertyName: 'Name', value: [p.name, ...p.aliases.filter((a) => !/^[\x20-\x7e]*$/.test(a))], type: 'list' },
		{ propertyName: 'Alias', value: p.aliases.filter((a) => /^[\x20-\x7e]*$/.test(a)), type: 'list' },
	];
	const groups = [];
	const politician = p.topics.includes('Politician');
	if (politician) profile.unshift({ propertyName: 'Position', value: [`Member of Parliament of ${p.nationality}`, 'party leader'], type: 'list' });
	groups.push({ groupName: 'Profile', details: [{ detailName: p.name, properties: profile }] });
	if (politician) {
		groups.push({
			groupName: 'Position occupied',
			details: [
				{
					detailName: 'Member of Parliament',
					properties: [
						{ propertyName: 'Name', value: [`Member of Parliament of ${p.nationality}`, 'Member of Parliament'], type: 'string' },
						{ propertyName: 'Start Date', value: ['1999-08-16'], type: 'date' },
						{ propertyName: 'End Date', value: ['2000-05-07'], type: 'date' },
						{ propertyName: 'Status', value: ['active'], type: 'string' },
					],
				},
			],
		});
	}
	if (p.topics.some((t) => t.startsWith('Sanction'))) {
		groups.push({
			groupName: 'Sanctions',
			details: [
				{
					detailName: 'Department of Foreign Affairs and Trade',
					properties: [
						{ propertyName: 'Start Date', value: ['2022-02-28'], type: 'date' },
						{ propertyName: 'Authority', value: ['Department of Foreign Affairs and Trade'], type: 'string' },
						{ propertyName: 'Program', value: [''], type: 'string' },
						{ propertyName: 'Entity', value: [`Q${parseInt(p.personId.slice(-5), 16)}`], type: 'string' },
						{ propertyName: 'Summary', value: ['Instrument of first designation and declaration (sandbox data).'], type: 'string' },
						{ propertyName: 'Source Url', value: [`https://sanctions.example.org/entities/${p.personId}`], type: 'url' },
					],
				},
			],
		});
	}
	return {
		entityType: p.entityType,
		firstName: p.firstName,
		middleName: p.middleName,
		lastName: p.lastName,
		gender: p.gender,
		birthdayTime: p.birthdayTime,
		nationality: p.nationality,
		extraDetails: groups,
	};
}

/** Search: default limit 100, at most 1000. */
function search(ctx: RouteContext) {
	const q = ctx.fields.query;
	if (!isObject(q)) return argumentError('wrong-parameters');
	const fullName = str(q.fullName);
	const threshold = q.scoreThreshold;
	const from = optionalDate(q.birthdayTimeFrom);
	const offset = optionalCount(ctx.fields.offset, 0);
	const limit = optionalCount(ctx.fields.limit, 100);
	if (!fullName || typeof threshold !== 'number' || !Number.isFinite(threshold) || from === null || Number.isNaN(offset) || Number.isNaN(limit)) {
		return argumentError('wrong-parameters');
	}
	const qt = tokens(fullName);
	const fromDay = from ? from.toISOString().slice(0, 10) : null;
	const matches = [];
	for (const p of DATABASE) {
		const s = score(qt, p.tokens);
		if (s < threshold || s === 0) continue;
		if (fromDay && p.birthdayTime < fromDay) continue;
		matches.push({ score: s, name: p.name, personId: p.personId, entityType: p.entityType, topics: [...p.topics] });
	}
	matches.sort((a, b) => b.score - a.score || a.name.localeCompare(b.name) || a.personId.localeCompare(b.personId));
	return json({ result: matches.slice(offset, offset + Math.min(limit, 1000)) });
}

function monitoringKey(fullName: string, birthday: Date | undefined) {
	return `${fullName.trim().replace(/\s+/g, ' ').toLowerCase()}|${birthday ? birthday.toISOString() : ''}`;
}

/** Adds a monitoring record; null when the same name and birthday are monitored already. */
function addMonitoring(sb: Internals, fullName: string, birthday?: Date): string | null {
	const key = monitoringKey(fullName, birthday);
	if (sb.state.monitoringKeys.has(key)) return null;
	const rec: MonitoringRecord = { id: objectId(), fullName, key };
	if (birthday) rec.birthdayTimeFrom = birthday.toISOString();
	sb.state.monitoring.push(rec);
	sb.state.monitoringKeys.add(key);
	return rec.id;
}

/** Monitoring helpers for the JS API (sb.monitoring). */
function monitoringApi(sb: Internals): Monitoring {
	return {
		touch(ids?: string[], date: Date = new Date()) {
			const iso = new Date(date).toISOString();
			const wanted = ids ? new Set(ids) : null;
			let n = 0;
			for (const r of sb.state.monitoring) {
				if (!wanted || wanted.has(r.id)) {
					r.lastUpdatedDate = iso;
					n++;
				}
			}
			return n;
		},
		add(fullName: string, birthdayTimeFrom?: string | Date) {
			const id = addMonitoring(sb, fullName, birthdayTimeFrom ? new Date(birthdayTimeFrom) : undefined);
			if (!id) throw new Error(`already monitored: ${fullName}`);
			return id;
		},
		seed(n: number) {
			const ids: string[] = [];
			for (let i = 0; i < n; i++) {
				let id: string | null = null;
				while (!id) id = addMonitoring(sb, `Monitored Person ${String(++sb.state.seeded).padStart(6, '0')}`);
				ids.push(id);
			}
			return ids;
		},
	};
}

/** The list endpoints' test controls as a fresh sandbox has them (types.ts, Listing). */
function initialListing(): Listing {
	return { clockOffsetMs: 0, order: 'insertion' };
}

/** A list answer with Identomat's clock in its `Date` header. */
function withClock(listing: Listing, answer: Answer): Answer {
	if (listing.clockOffsetMs === 0) return answer;
	return { ...answer, headers: { ...answer.headers, Date: new Date(Date.now() + listing.clockOffsetMs).toUTCString() } };
}

function listed(r: MonitoringRecord) {
	const out: Record<string, string> = { fullName: r.fullName, id: r.id };
	if (r.lastUpdatedDate) out.lastUpdatedDate = r.lastUpdatedDate;
	return out;
}

const routes: Route[] = [
	{ host: 'api', path: 'search-screening-person', handler: search },
	{
		host: 'api',
		path: 'get-screening-person-details',
		handler(ctx: RouteContext) {
			const id = str(ctx.fields.personId);
			if (!id) return argumentError('wrong-parameters');
			const p = BY_ID.get(id);
			return p ? json({ result: details(p) }) : argumentError('not-found');
		},
	},
	{
		host: 'api',
		path: 'monitor-screening-query',
		handler(ctx: RouteContext) {
			const q = ctx.fields.query;
			const fullName = isObject(q) ? str(q.fullName) : undefined;
			const birthday = isObject(q) ? optionalDate(q.birthdayTimeFrom) : null;
			if (!fullName || birthday === null) return argumentError('wrong-parameters');
			const id = addMonitoring(ctx.sb, fullName, birthday);
			return id ? json({ result: id }) : argumentError('already-exists');
		},
	},
	{
		host: 'api',
		path: 'remove-screening-query-from-monitoring',
		handler(ctx: RouteContext) {
			const id = str(ctx.fields.id);
			if (!id) return argumentError('wrong-parameters');
			const list = ctx.sb.state.monitoring;
			const i = list.findIndex((r) => r.id === id);
			if (i < 0) return argumentError('not-found');
			ctx.sb.state.monitoringKeys.delete(list[i].key);
			list.splice(i, 1);
			return json({});
		},
	},
	{
		host: 'api',
		path: 'list-screening-monitoring-records',
		handler(ctx: RouteContext) {
			const start = optionalCount(ctx.fields.start, 0);
			const requested = optionalCount(ctx.fields.limit, 50);
			const date = optionalDate(ctx.fields.date);
			if (Number.isNaN(start) || Number.isNaN(requested) || date === null) return argumentError('wrong-parameters');
			const listing = ctx.sb.listing;
			listing.beforePage?.('list-screening-monitoring-records', ctx.fields);
			const limit = Math.min(requested, listing.maxPage ?? 1000);
			let records: MonitoringRecord[] = ctx.sb.state.monitoring;
			if (date) {
				const t = date.getTime();
				const gte = ctx.sb.options.monitoringDateFilter === 'gte';
				records = records.filter((r) => {
					if (!r.lastUpdatedDate) return false;
					const u = Date.parse(r.lastUpdatedDate);
					return gte ? u >= t : u > t;
				});
				if (listing.order === 'updated') {
					const at = (r: MonitoringRecord) => Date.parse(r.lastUpdatedDate ?? '');
					records = records.map((r, i) => ({ r, i })).sort((a, b) => at(a.r) - at(b.r) || a.i - b.i).map(({ r }) => r);
				}
			}
			return withClock(listing, json({ result: { start, limit, total: records.length, data: records.slice(start, start + limit).map(listed) } }));
		},
	},
];

export { routes, DATABASE, monitoringApi, addMonitoring, monitoringKey, score, tokens, initialListing, withClock };
