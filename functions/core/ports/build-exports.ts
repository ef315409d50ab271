/**
 * Reads the variables a finished build exported (its buildspec's `exported-variables`), for a
 * build whose state change does not carry them.
 *
 * @example
 * ```ts
 * const exported = await exports.exportedVariables("arn:aws:codebuild:eu-west-1:123456789012:build/shop:8745a7a9");
 * exported.get("SHIPLINE_CHART_VERSION"); // "1.4.0-0123456"
 * ```
 */
export interface BuildExports {
  /** The exported variables by name; empty when the build exported none. Throws a retryable ShiplineError when it cannot tell. */
  exportedVariables(buildId: string): Promise<ReadonlyMap<string, string>>;
}
