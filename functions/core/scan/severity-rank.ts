import { SEVERITIES, type Severity } from "../contracts/primitives.js";

/**
 * What scanners call their severities, mapped onto Shipline's {@link SEVERITIES}: Grype's
 * `Negligible` is informational, Trivy's `UNKNOWN` and Inspector's `UNTRIAGED` are undefined.
 */
const ALIASES: Readonly<Record<string, Severity>> = {
  CRITICAL: "CRITICAL",
  HIGH: "HIGH",
  IMPORTANT: "HIGH",
  MEDIUM: "MEDIUM",
  MODERATE: "MEDIUM",
  LOW: "LOW",
  INFORMATIONAL: "INFORMATIONAL",
  INFO: "INFORMATIONAL",
  NEGLIGIBLE: "INFORMATIONAL",
  UNDEFINED: "UNDEFINED",
  UNKNOWN: "UNDEFINED",
  UNTRIAGED: "UNDEFINED",
};

/**
 * Maps a scanner's severity text onto one of {@link SEVERITIES}, case-insensitively; anything it
 * does not know is `UNDEFINED`.
 *
 * @example
 * ```ts
 * normaliseSeverity("Negligible"); // "INFORMATIONAL"
 * normaliseSeverity("high"); // "HIGH"
 * ```
 */
export function normaliseSeverity(text: string | undefined): Severity {
  if (text === undefined) return "UNDEFINED";
  return ALIASES[text.trim().toUpperCase()] ?? "UNDEFINED";
}

/**
 * The rank of a severity: 0 for `CRITICAL`, growing as severities get milder.
 *
 * @example
 * ```ts
 * severityRank("CRITICAL") < severityRank("LOW"); // true
 * ```
 */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/**
 * Tells whether a severity is at or above a threshold. `UNDEFINED` (a finding no one has rated) is
 * never at or above a threshold, since every threshold names a rating.
 *
 * @example
 * ```ts
 * isAtOrAbove("CRITICAL", "HIGH"); // true
 * isAtOrAbove("MEDIUM", "HIGH"); // false
 * ```
 */
export function isAtOrAbove(severity: Severity, threshold: Severity): boolean {
  if (severity === "UNDEFINED") return false;
  return severityRank(severity) <= severityRank(threshold);
}
