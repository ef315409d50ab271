import type { ScalarStyle } from "./edit-result.js";
import { isPlainSafe } from "./plain-scalar.js";

/** The source text of a new scalar and the style it ended up in. */
export interface RenderedScalar {
  /** Text to splice in place of the old scalar. */
  readonly text: string;
  /** The style written. */
  readonly style: ScalarStyle;
  /** True when plain style was asked for but the value needed quotes. */
  readonly quoted: boolean;
}

/**
 * Writes a value in the style of the scalar it replaces: `'single'` and `"double"` quotes are
 * kept; plain stays plain unless the value would then read as something else (see
 * {@link isPlainSafe}), in which case it is double-quoted and `quoted` says so. `null` is written
 * as a plain `null`.
 *
 * @example
 * ```ts
 * renderScalar("1.10", { style: "plain", flow: false }); // { text: "\"1.10\"", style: "double", quoted: true }
 * renderScalar("v2", { style: "single", flow: false }); // { text: "'v2'", style: "single", quoted: false }
 * ```
 */
export function renderScalar(
  value: string | null,
  options: { readonly style: ScalarStyle; readonly flow: boolean },
): RenderedScalar {
  if (value === null) return { text: "null", style: "plain", quoted: false };
  if (options.style === "single")
    return { text: `'${value.replaceAll("'", "''")}'`, style: "single", quoted: false };
  if (options.style === "plain" && isPlainSafe(value, { flow: options.flow })) {
    return { text: value, style: "plain", quoted: false };
  }
  const escaped = value.replaceAll("\\", "\\\\").replaceAll('"', '\\"');
  return { text: `"${escaped}"`, style: "double", quoted: options.style === "plain" };
}
