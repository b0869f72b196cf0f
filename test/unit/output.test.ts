/**
 * Output → Selected Fields, the function that builds the output: whatever path it is given, it reads
 * only the answer's own fields and writes only its own output, never a prototype (the node also
 * refuses such paths with a message before this runs: test/operations/session.test.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { selectFields } from '../../nodes/Identomat/actions/shared/output';

const answer = () => JSON.parse('{"result": "approved", "person": {"first_name": "John"}}') as IDataObject;

afterEach(() => {
	// Whatever a test managed to put on a prototype is removed, so one failure stays one.
	delete (Object.prototype as IDataObject).isAdmin;
	delete (Function.prototype as unknown as IDataObject).isAdmin;
});

describe('Selected Fields builds its output so no path reaches a prototype', () => {
	test.each([
		['__proto__', '__proto__.isAdmin'],
		['constructor', 'constructor.prototype.isAdmin'],
		['prototype', 'prototype.isAdmin'],
		['__proto__ below a field', 'person.__proto__.isAdmin'],
	])('%s: Object.prototype stays as it was', (_segment, path) => {
		const out = selectFields(answer(), ['result', path]);
		expect(Object.prototype).not.toHaveProperty('isAdmin');
		expect(Function.prototype).not.toHaveProperty('isAdmin');
		expect(({} as IDataObject).isAdmin).toBeUndefined();
		expect(out.result).toBe('approved');
	});

	test('a prototype property is no field of the answer: it comes out as null', () => {
		const out = selectFields(answer(), ['constructor', 'person.__proto__']);
		expect(JSON.stringify(out)).toBe('{"constructor":null,"person":{"__proto__":null}}');
		expect(Object.getPrototypeOf(out.person)).toBe(Object.prototype);
	});

	test('ordinary paths still nest as in the answer, missing ones as null', () => {
		expect(selectFields(answer(), ['result', 'person.first_name', 'person.age'])).toEqual({
			result: 'approved',
			person: { first_name: 'John', age: null },
		});
	});
});
