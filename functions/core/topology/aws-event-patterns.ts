import {
  codeBuildBuildStateChangeDetail,
  codeBuildBuildStateChangeEvent,
} from "../contracts/aws/codebuild-build-state-change.js";
import {
  codeCommitRepositoryStateChangeDetail,
  codeCommitRepositoryStateChangeEvent,
} from "../contracts/aws/codecommit-repository-state-change.js";
import { ecrImageActionDetail, ecrImageActionEvent } from "../contracts/aws/ecr-image-action.js";
import { ecrImageScanDetail, ecrImageScanEvent } from "../contracts/aws/ecr-image-scan.js";
import { inspector2ScanEvent } from "../contracts/aws/inspector2-scan.js";
import type { EventPattern } from "./rule-definition.js";

/** A content filter of EventBridge on a string field: a wildcard such as `arn:*:ecr:*`. */
export interface WildcardFilter {
  readonly wildcard: string;
}

/**
 * A pattern that matches exactly one kind of AWS service event: one source, one detail type and,
 * where the contract allows it, filters on detail fields (exact values, or a wildcard).
 */
export interface AwsEventPattern extends EventPattern {
  readonly source: readonly [string];
  readonly "detail-type": readonly [string];
  readonly detail?: { readonly [field: string]: readonly string[] | readonly [WildcardFilter] };
}

/** An ECR repository's ARN in any partition and region: what an Inspector scan of an image names. */
export const ECR_REPOSITORY_ARN_WILDCARD = "arn:*:ecr:*:repository/*";

/**
 * The AWS service events Shipline consumes, as EventBridge patterns built from their contracts
 * (`functions/core/contracts/aws`). The same pattern forwards an event from the default bus and
 * routes it on the `shipline` bus, so the local runtime, which may publish AWS-shaped events straight
 * onto its bus, is filtered exactly like AWS. Repositories and projects are not filtered here: which
 * ones belong to Shipline is configuration, and the steps ignore the others.
 *
 * @example
 * ```ts
 * const rule = { eventPattern: AWS_EVENT_PATTERNS.ecrImagePushed, ... };
 * ```
 */
export const AWS_EVENT_PATTERNS = {
  /** A successful push of an image to ECR (deletes and failed pushes are not Shipline's business). */
  ecrImagePushed: {
    source: [ecrImageActionEvent.shape.source.value],
    "detail-type": [ecrImageActionEvent.shape["detail-type"].value],
    detail: {
      "action-type": ecrImageActionDetail.shape["action-type"].extract(["PUSH"]).options,
      result: ecrImageActionDetail.shape.result.extract(["SUCCESS"]).options,
    },
  },
  /**
   * A finished ECR basic scan. Every final status is kept, failures included, because the scan gate
   * fails closed on them; only `IN_PROGRESS` says nothing yet.
   */
  ecrImageScanned: {
    source: [ecrImageScanEvent.shape.source.value],
    "detail-type": [ecrImageScanEvent.shape["detail-type"].value],
    detail: { "scan-status": ecrImageScanDetail.shape["scan-status"].exclude(["IN_PROGRESS"]).options },
  },
  /**
   * An Inspector enhanced scan of an ECR container image. Inspector sends the same detail type for
   * its scans of EC2 instances (`instance-id`) and Lambda functions (only `resources`), which are no
   * business of Shipline's: only a scan whose `repository-name` is an ECR repository's ARN, as the
   * contract requires, is taken. Its `scan-status` is an open set (the contract keeps it a string),
   * so the scan gate, not the rule, decides what a status means.
   */
  inspector2Scanned: {
    source: [inspector2ScanEvent.shape.source.value],
    "detail-type": [inspector2ScanEvent.shape["detail-type"].value],
    detail: { "repository-name": [{ wildcard: ECR_REPOSITORY_ARN_WILDCARD }] },
  },
  /**
   * A CodeBuild build that reached a final state. `IN_PROGRESS` is left out: `start-build` already
   * published `Build Started`, so it would only cost an invocation.
   */
  codeBuildFinished: {
    source: [codeBuildBuildStateChangeEvent.shape.source.value],
    "detail-type": [codeBuildBuildStateChangeEvent.shape["detail-type"].value],
    detail: {
      "build-status": codeBuildBuildStateChangeDetail.shape["build-status"].exclude(["IN_PROGRESS"]).options,
    },
  },
  /** A push to a CodeCommit repository: a branch or tag created or moved (deletions build nothing). */
  codeCommitPushed: {
    source: [codeCommitRepositoryStateChangeEvent.shape.source.value],
    "detail-type": [codeCommitRepositoryStateChangeEvent.shape["detail-type"].value],
    detail: {
      event: codeCommitRepositoryStateChangeDetail.shape.event.extract([
        "referenceCreated",
        "referenceUpdated",
      ]).options,
    },
  },
} as const satisfies Readonly<Record<string, AwsEventPattern>>;

/** The name of one of {@link AWS_EVENT_PATTERNS}. */
export type AwsEventName = keyof typeof AWS_EVENT_PATTERNS;
