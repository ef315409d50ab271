import {
  type CodeBuildBuildStateChangeEvent,
  codeBuildBuildStateChangeEvent,
} from "../../core/contracts/aws/codebuild-build-state-change.js";
import { codeBuildTime, type PhaseRecord, phaseOfEvent } from "./build-phases.js";

/** What a state-change event says about a build. */
export interface BuildStateFacts {
  readonly id: string;
  readonly time: Date;
  readonly account: string;
  readonly region: string;
  readonly projectName: string;
  /** `arn:aws:codebuild:<region>:<account>:build/<project>:<uuid>`. */
  readonly buildArn: string;
  readonly status: "IN_PROGRESS" | "SUCCEEDED" | "FAILED";
  readonly buildNumber: number;
  readonly startTime: Date;
  readonly sourceLocation: string;
  readonly sourceVersion: string;
  /** The build's own variables (the start's overrides). */
  readonly environment: Readonly<Record<string, string>>;
  /** The build's log: its stream name and where to read it. */
  readonly logs: { readonly streamName: string; readonly deepLink: string };
  readonly phases: readonly PhaseRecord[];
  /** Variables the build exports when it ends (the pushed image's tag and digest). */
  readonly exported?: Readonly<Record<string, string>>;
}

/**
 * Builds the `aws.codebuild` / `CodeBuild Build State Change` event CodeBuild would publish for the
 * local build, in its envelope and field shapes (times as `Sep 1, 2017 4:12:29 PM`, phases with
 * their context), and checks it against the contract `build-status` parses it with.
 *
 * @example
 * ```ts
 * const event = buildStateEvent({ ...facts, status: "SUCCEEDED" });
 * await bus.putServiceEnvelopes([event]);
 * ```
 */
export function buildStateEvent(facts: BuildStateFacts): CodeBuildBuildStateChangeEvent {
  const current = facts.phases.at(-1);
  return codeBuildBuildStateChangeEvent.parse({
    version: "0",
    id: facts.id,
    "detail-type": "CodeBuild Build State Change",
    source: "aws.codebuild",
    account: facts.account,
    time: `${facts.time.toISOString().slice(0, 19)}Z`,
    region: facts.region,
    resources: [facts.buildArn],
    detail: {
      "build-status": facts.status,
      "project-name": facts.projectName,
      "build-id": facts.buildArn,
      "additional-information": {
        environment: {
          image: "shipline/local-builder",
          "privileged-mode": false,
          "compute-type": "LOCAL",
          type: "LINUX_CONTAINER",
          "environment-variables": Object.entries(facts.environment).map(([name, value]) => ({
            name,
            type: "PLAINTEXT",
            value,
          })),
        },
        "timeout-in-minutes": 60,
        "build-complete": facts.status !== "IN_PROGRESS",
        "build-number": facts.buildNumber,
        initiator: "shipline-local",
        "build-start-time": codeBuildTime(facts.startTime),
        source: { location: facts.sourceLocation, type: "GIT" },
        "source-version": facts.sourceVersion,
        logs: {
          "group-name": `/aws/codebuild/${facts.projectName}`,
          "stream-name": facts.logs.streamName,
          "deep-link": facts.logs.deepLink,
        },
        phases: facts.phases.map(phaseOfEvent),
        "exported-environment-variables": Object.entries(facts.exported ?? {}).map(([name, value]) => ({
          name,
          value,
        })),
      },
      "current-phase": current?.type ?? "SUBMITTED",
      "current-phase-context": JSON.stringify(current?.context ?? []),
      version: "1",
    },
  });
}
