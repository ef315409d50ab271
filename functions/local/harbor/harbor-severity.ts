/**
 * The scan gate's severity names (ECR's, as the local scanner counts them) to Harbor's, for the
 * local Harbor stand-in's notifications and vulnerability reports.
 *
 * @example
 * ```ts
 * HARBOR_SEVERITY.INFORMATIONAL; // "Negligible"
 * ```
 */
export const HARBOR_SEVERITY: Readonly<Record<string, string>> = {
  CRITICAL: "Critical",
  HIGH: "High",
  MEDIUM: "Medium",
  LOW: "Low",
  INFORMATIONAL: "Negligible",
  UNDEFINED: "Unknown",
};
