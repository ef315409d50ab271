/**
 * A small JSON Schema draft 4 check, enough for the schemas `eventJsonSchema` writes: `type`
 * (`integer` included), `enum`, `properties`, `required`, `additionalProperties`, `items`,
 * `minLength` / `maxLength`, `pattern`, `minimum` / `maximum` (with draft 4's boolean
 * `exclusiveMinimum` / `exclusiveMaximum`), `minItems` / `maxItems`, `anyOf`, `oneOf`, `allOf` and
 * `not`. Annotations (`$schema`, `title`, `description`, `default`, `format`, `x-…`) are not checked.
 * A keyword it does not know makes it throw, so that a schema it cannot judge never passes.
 */
const KNOWN = new Set([
  "$schema",
  "title",
  "description",
  "default",
  "format",
  "type",
  "enum",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "minLength",
  "maxLength",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "minItems",
  "maxItems",
  "anyOf",
  "oneOf",
  "allOf",
  "not",
]);

type Schema = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeMatches(type: unknown, value: unknown): boolean {
  switch (type) {
    case "object":
      return isRecord(value);
    case "array":
      return Array.isArray(value);
    case "string":
      return typeof value === "string";
    case "number":
      return typeof value === "number";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "boolean":
      return typeof value === "boolean";
    case "null":
      return value === null;
    default:
      throw new Error(`draft4Problems: unknown type ${JSON.stringify(type)}`);
  }
}

/**
 * Every way `value` breaks `schema`, each naming where (`detail.app`); empty when it conforms.
 *
 * @example
 * ```ts
 * draft4Problems({ type: "object", required: ["id"] }, {}); // ["(root): 'id' is required"]
 * ```
 */
export function draft4Problems(schema: unknown, value: unknown, at = "(root)"): string[] {
  if (schema === true || (isRecord(schema) && Object.keys(schema).length === 0)) return [];
  if (!isRecord(schema)) throw new Error(`draft4Problems: ${at}: not a schema`);
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN.has(keyword) && !keyword.startsWith("x-")) {
      throw new Error(`draft4Problems: ${at}: keyword '${keyword}' is not supported`);
    }
  }
  return checks(schema, value, at);
}

function checks(schema: Schema, value: unknown, at: string): string[] {
  const problems: string[] = [];
  const child = (key: string | number) => (at === "(root)" ? String(key) : `${at}.${key}`);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => typeMatches(type, value))) {
      return [`${at}: ${JSON.stringify(value)} is not of type ${types.join(" or ")}`];
    }
  }
  if (
    Array.isArray(schema.enum) &&
    !schema.enum.some((item) => JSON.stringify(item) === JSON.stringify(value))
  ) {
    problems.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  }
  if (typeof value === "string") {
    if (typeof schema.minLength === "number" && value.length < schema.minLength) {
      problems.push(`${at}: shorter than ${schema.minLength}`);
    }
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) {
      problems.push(`${at}: longer than ${schema.maxLength}`);
    }
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
      problems.push(`${at}: does not match ${schema.pattern}`);
    }
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number") {
      if (schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum) {
        problems.push(`${at}: below the minimum ${schema.minimum}`);
      }
    }
    if (typeof schema.maximum === "number") {
      if (schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum) {
        problems.push(`${at}: above the maximum ${schema.maximum}`);
      }
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) {
      problems.push(`${at}: fewer than ${schema.minItems} items`);
    }
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
      problems.push(`${at}: more than ${schema.maxItems} items`);
    }
    if (schema.items !== undefined) {
      for (const [index, item] of value.entries())
        problems.push(...draft4Problems(schema.items, item, child(index)));
    }
  }
  if (isRecord(value)) {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    for (const name of Array.isArray(schema.required) ? schema.required : []) {
      if (!(String(name) in value)) problems.push(`${at}: '${String(name)}' is required`);
    }
    for (const [name, item] of Object.entries(value)) {
      if (name in properties) problems.push(...draft4Problems(properties[name], item, child(name)));
      else if (schema.additionalProperties === false) problems.push(`${at}: '${name}' is not allowed`);
      else if (isRecord(schema.additionalProperties)) {
        problems.push(...draft4Problems(schema.additionalProperties, item, child(name)));
      }
    }
  }
  const branches = (key: "anyOf" | "oneOf" | "allOf") =>
    Array.isArray(schema[key]) ? schema[key].map((branch) => draft4Problems(branch, value, at)) : undefined;
  const anyOf = branches("anyOf");
  if (anyOf !== undefined && !anyOf.some((found) => found.length === 0)) {
    problems.push(`${at}: matches none of anyOf (${anyOf.map((found) => found.join(", ")).join(" | ")})`);
  }
  const oneOf = branches("oneOf");
  if (oneOf !== undefined && oneOf.filter((found) => found.length === 0).length !== 1) {
    problems.push(`${at}: does not match exactly one of oneOf`);
  }
  for (const found of branches("allOf") ?? []) problems.push(...found);
  if (schema.not !== undefined && draft4Problems(schema.not, value, at).length === 0) {
    problems.push(`${at}: matches a schema it must not`);
  }
  return problems;
}
