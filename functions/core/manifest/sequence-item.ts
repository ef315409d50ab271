import { isMap, isScalar } from "yaml";
import type { PathSegment } from "./value-path.js";

/**
 * The string value of the scalar under `key` in a mapping node, if there is one.
 *
 * @example
 * ```ts
 * scalarAt(containerNode, "name"); // "web"
 * ```
 */
export function scalarAt(node: unknown, key: string): string | undefined {
  if (!isMap(node)) return undefined;
  const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
  return pair && isScalar(pair.value) && pair.value.value !== null ? String(pair.value.value) : undefined;
}

/**
 * The segment that names sequence item `index` most robustly: `[name=web]` when the item is a
 * mapping whose `name` no other item shares (so a recorded path survives reordering), else `[index]`.
 *
 * @example
 * ```ts
 * itemSegment(sequence.items, 0); // { match: { key: "name", value: "web" } }
 * ```
 */
export function itemSegment(items: readonly unknown[], index: number): PathSegment {
  const name = scalarAt(items[index], "name");
  if (name === undefined) return { index };
  const same = items.filter((item) => scalarAt(item, "name") === name).length;
  return same === 1 ? { match: { key: "name", value: name } } : { index };
}
