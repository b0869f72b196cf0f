/** How every message names an item: 1-based, as a person counts ("item 1" is the first). */
export function itemLabel(itemIndex: number) {
	return `item ${itemIndex + 1}`;
}
