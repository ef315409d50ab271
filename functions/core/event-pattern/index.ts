export type { LeafNode } from "./compile-leaf.js";
export {
  type CompiledPattern,
  compilePattern,
  type FieldNode,
  MAX_OR_COMBINATIONS,
  type ObjectNode,
} from "./compile-pattern.js";
export { INVALID_EVENT_PATTERN, invalidPattern } from "./invalid-pattern.js";
export { matches } from "./matches.js";
export { testEventPattern } from "./test-event-pattern.js";
