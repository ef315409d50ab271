import { isScalar, isSeq, parseDocument } from "yaml";
import { hasControlCharacter } from "./control-character.js";

/**
 * Tells whether `value` can be written as a plain (unquoted) scalar and still read back as exactly
 * that string, both under YAML 1.2 (this library, Argo CD) and YAML 1.1 (Helm and Kustomize read
 * values with go-yaml, where `on`, `yes` and `1:20` are not strings). `1.10`, `true`, `a: b` or
 * `x # y` are not safe; inside a flow collection (`{tag: v1}`) `,`, `[`, `]`, `{` and `}` are not either.
 *
 * @example
 * ```ts
 * isPlainSafe("v1.2.3", { flow: false }); // true
 * isPlainSafe("1.10", { flow: false }); // false
 * ```
 */
export function isPlainSafe(value: string, options: { readonly flow: boolean }): boolean {
  if (value === "" || value.trim() !== value || hasControlCharacter(value)) return false;
  for (const version of ["1.1", "1.2"] as const) {
    const document = parseDocument(value, { version });
    const node = document.contents;
    if (document.errors.length > 0 || !isScalar(node) || node.type !== "PLAIN" || node.value !== value) {
      return false;
    }
    if (options.flow) {
      const flow = parseDocument(`[${value}]`, { version });
      const item = isSeq(flow.contents) ? flow.contents.items : [];
      const only = item[0];
      if (flow.errors.length > 0 || item.length !== 1 || !isScalar(only) || only.value !== value)
        return false;
    }
  }
  return true;
}
