import * as z from "zod";
import type { ScanPolicy } from "../core/config/scan-policy.js";
import { ecrImageScanEvent } from "../core/contracts/aws/ecr-image-scan.js";
import { inspector2ScanEvent } from "../core/contracts/aws/inspector2-scan.js";
import { unconcernedAwsEventReason } from "../core/contracts/aws/unconcerned-aws-event.js";
import { harborScanCompletedEvent } from "../core/contracts/harbor/harbor-events.js";
import { registryScanCompletedEvent } from "../core/contracts/registry/registry-scan-completed.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import { checkScanTimeout } from "../core/scan/check-scan-timeout.js";
import { handleScanResult } from "../core/scan/handle-scan-result.js";
import type { ScanGateContext, ScanGateOutcome } from "../core/scan/scan-gate-context.js";
import { scanResultOf } from "../core/scan/scan-result.js";
import { SCAN_TIMEOUT_SOURCE, scanTimeoutCheck } from "../core/scan/scan-timeout-check.js";
import { awsInput, createStepHandler, type StepDeps, type StepInvocation } from "./shared/index.js";

/** What the scan gate is invoked with: a scan event of either scanner, or its timeout check. */
export const scanGateEvent = z.union([
  ecrImageScanEvent,
  inspector2ScanEvent,
  harborScanCompletedEvent,
  registryScanCompletedEvent,
  scanTimeoutCheck,
]);

/** An event the scan gate handles. */
export type ScanGateEvent = z.output<typeof scanGateEvent>;

/**
 * The scan gate's input: `ECR Image Scan`, `Inspector2 Scan`, `Harbor Scan Completed`, `Registry
 * Scan Completed` or a scan-timeout check. An Inspector
 * scan of an EC2 instance or a Lambda function is left alone with the reason in the log.
 */
export const scanGateInput = awsInput(
  scanGateEvent,
  "'ECR Image Scan', 'Inspector2 Scan', 'Harbor Scan Completed', 'Registry Scan Completed' or 'Scan Timeout Check'",
  { unconcerned: unconcernedAwsEventReason },
);

/** The scan gate's dependencies, created once per cold start. */
export interface ScanGateDeps extends StepDeps {
  /** Known images, verdicts and early scan results. */
  readonly store: DocumentStore;
  /** The configuration's `scanPolicy`. */
  readonly policy: ScanPolicy;
  /** Findings per kind of scan event (see `ScanGateContext.sources`). */
  readonly sources: ScanGateContext["sources"];
}

/**
 * The scan gate's work for one event: a scan result goes to `handleScanResult`, a timeout check to
 * `checkScanTimeout`; both publish `Image Approved` / `Image Rejected` at most once per image.
 *
 * @example
 * ```ts
 * const outcome = await runScanGate({ event, deps, context, correlationId });
 * ```
 */
export async function runScanGate(
  invocation: StepInvocation<ScanGateEvent, ScanGateDeps>,
): Promise<ScanGateOutcome> {
  const { event, deps } = invocation;
  const context = {
    store: deps.store,
    publisher: deps.publisher,
    clock: deps.clock,
    policy: deps.policy,
    sources: deps.sources,
  };
  const outcome =
    event.source === SCAN_TIMEOUT_SOURCE
      ? await checkScanTimeout({ context, check: event })
      : await handleScanResult({ context, scan: scanResultOf(event) });
  const image = event.source === SCAN_TIMEOUT_SOURCE ? event.detail : scanResultOf(event);
  deps.logger.info(describe(outcome), {
    outcome: outcome.outcome,
    repository: image.repository,
    digest: image.digest,
    ...("verdict" in outcome
      ? {
          verdict: outcome.verdict.detailType,
          cause: outcome.verdict.cause,
          reason: outcome.verdict.detail.reason,
        }
      : {}),
  });
  return outcome;
}

function describe(outcome: ScanGateOutcome): string {
  switch (outcome.outcome) {
    case "pending":
      return "Scan still running; nothing to decide yet";
    case "unknown-image":
      return "Image not known to Shipline (yet); scan result kept for its timeout check";
    case "published":
      return "Published the image's verdict";
    case "already-decided":
      return "Image already has a verdict; it stands";
  }
}

/**
 * Builds the scan gate's Lambda handler from its dependencies.
 *
 * @example
 * ```ts
 * export const handler = createScanGateHandler({ ...createStepDeps({ step: "scan-gate", environment }), store, policy, sources });
 * ```
 */
export function createScanGateHandler(deps: ScanGateDeps) {
  return createStepHandler({ step: "scan-gate", input: scanGateInput, deps, run: runScanGate });
}
