import type {
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { getGroups } from './loadOptions';

/** Searchable lists for resource locators: Identomat answers whole lists, so the filter runs here. */

function matching(options: INodeListSearchItems[], filter?: string): INodeListSearchResult {
	const wanted = filter?.trim().toLowerCase();
	const results = wanted
		? options.filter(
				(o) =>
					o.name.toLowerCase().includes(wanted) || String(o.value).toLowerCase().includes(wanted),
			)
		: options;
	return { results };
}

export async function searchGroups(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const options = await getGroups.call(this);
	return matching(
		options.map(({ name, value }) => ({ name, value: String(value) })),
		filter,
	);
}
