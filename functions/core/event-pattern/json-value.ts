/** A JSON scalar as it can appear at a leaf of an event. */
export type Scalar = string | number | boolean | null;

/** A test of one scalar event value, compiled from one pattern value. */
export type ScalarTest = (value: Scalar) => boolean;

/**
 * Tells whether a value is a JSON object (not an array, not null).
 *
 * @example
 * ```ts
 * if (isJsonObject(event)) event["detail-type"];
 * ```
 */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Tells whether a value is a JSON scalar: string, finite number, boolean or null.
 *
 * @example
 * ```ts
 * if (isScalar(value)) test(value);
 * ```
 */
export function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === "string" ||
    typeof value === "boolean" ||
    (typeof value === "number" && Number.isFinite(value))
  );
}

/**
 * Shows a pattern value in an error message, shortened to stay readable.
 *
 * @example
 * ```ts
 * describeValue({ prefix: 5 }); // '{"prefix":5}'
 * ```
 */
export function describeValue(value: unknown): string {
  const text = value === undefined ? "undefined" : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
