import { ShiplineError } from "../core/errors/shipline-error.js";
import { EnvName } from "../core/topology/env-names.js";

/** Where `image-pushed` creates the scan gate's one-time timeout schedules. */
export interface ScanTimeoutEnvironment {
  /** The EventBridge Scheduler group of the timeouts. */
  readonly groupName: string;
  /** The scan gate function the schedules invoke. */
  readonly targetArn: string;
  /** The role Scheduler assumes to invoke it. */
  readonly roleArn: string;
}

/**
 * Reads the scan-timeout settings (`SCAN_TIMEOUT_SCHEDULE_GROUP`, `SCAN_TIMEOUT_TARGET_ARN`,
 * `SCAN_TIMEOUT_ROLE_ARN`) at cold start. All three absent: undefined (no timeouts are armed, as in
 * a stack without a scan gate); some absent: one permanent `CONFIG_INVALID` naming each of them.
 *
 * @example
 * ```ts
 * const timeouts = readScanTimeoutEnvironment();
 * ```
 */
export function readScanTimeoutEnvironment(
  env: Readonly<Record<string, string | undefined>> = process.env,
): ScanTimeoutEnvironment | undefined {
  const names = [EnvName.ScanTimeoutScheduleGroup, EnvName.ScanTimeoutTargetArn, EnvName.ScanTimeoutRoleArn];
  const values = names.map((name) => env[name]?.trim() ?? "");
  if (values.every((value) => value === "")) return undefined;
  const missing = names.filter((_, index) => values[index] === "");
  if (missing.length > 0) {
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `The function's environment is not usable: ${missing.map((name) => `${name}: is not set`).join("; ")}; set all three scan-timeout variables or none`,
      data: { problems: missing.map((name) => `${name}: is not set`) },
    });
  }
  const [groupName = "", targetArn = "", roleArn = ""] = values;
  return { groupName, targetArn, roleArn };
}
