import * as z from "zod";
import type { EventEnvelope } from "../../core/contracts/event-envelope.js";

/** One line of the live chain: which journey, which step, what happened. */
export interface EventLine {
  /** `app@sha7`, or the repository for a push before apps are known. */
  readonly journey: string;
  /** The detail type (or the AWS event name). */
  readonly what: string;
  /** Details worth reading at a glance. */
  readonly summary: string;
  /** Whether this event ends the journey in some environment, and how; `waiting` for an image that waits (approval, soak, hold). */
  readonly outcome: EventOutcome;
}

/** What an event means for its journey: under way, done, stopped, or waiting for something. */
export type EventOutcome = "progress" | "success" | "failure" | "waiting";

const loose = z.record(z.string(), z.unknown());
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const short = (sha: unknown): string => (typeof sha === "string" ? sha.slice(0, 7) : "-");
const fieldOf = (value: unknown, key: string): unknown => {
  const parsed = loose.safeParse(value);
  return parsed.success ? parsed.data[key] : undefined;
};
const recordOf = (value: unknown): Record<string, unknown> => {
  const parsed = loose.safeParse(value);
  return parsed.success ? parsed.data : {};
};

/**
 * Turns an event of the bus into one readable line of the chain as it happens.
 *
 * @example
 * ```ts
 * describeEvent(event); // { journey: "demo@a1b2c3d", what: "Build Started", summary: "demo:… → 1.0.0-a1b2c3d", ... }
 * ```
 */
export function describeEvent(event: EventEnvelope): EventLine | undefined {
  const parsed = loose.safeParse(event.detail);
  if (!parsed.success) return undefined;
  const d = parsed.data;
  const type = event["detail-type"];
  const journey = text(d.app) ? `${text(d.app)}@${short(d.commit)}` : short(d.commit);
  const env = text(d.environment) ?? "";
  switch (type) {
    case "Commit Pushed": {
      return {
        journey: `${text(fieldOf(d.repository, "name")) ?? "?"}@${short(d.commit)}`,
        what: type,
        summary: `${text(d.refName) ?? ""} by ${(text(fieldOf(d.pusher, "name")) ?? "?").replace(/^arn:.*\//, "")}`,
        outcome: "progress",
      };
    }
    case "Build Started":
      return {
        journey,
        what: type,
        summary: `${text(d.imageTag) ?? text(d.imageTagTemplate) ?? ""}`,
        outcome: "progress",
      };
    case "Build Succeeded": {
      const took = typeof d.durationSeconds === "number" ? `in ${d.durationSeconds}s` : "";
      return {
        journey,
        what: type,
        summary: [text(d.imageTag), took].filter(Boolean).join(" "),
        outcome: "progress",
      };
    }
    case "Build Failed":
      return {
        journey,
        what: type,
        summary: `${text(d.failedPhase) ?? ""}: ${text(d.reason) ?? ""}`,
        outcome: "failure",
      };
    case "Image Pushed":
      return {
        journey,
        what: type,
        summary: `${text(d.repository)}:${text(d.tag)} ${short(text(d.digest)?.slice(7))}`,
        outcome: "progress",
      };
    case "Image Approved":
      return { journey, what: type, summary: text(d.reason) ?? "", outcome: "progress" };
    case "Image Rejected":
    case "Image Refused":
      return { journey, what: type, summary: text(d.reason) ?? "", outcome: "failure" };
    case "Promotion Waiting":
      return { journey, what: type, summary: waitingOf(env, d), outcome: "waiting" };
    case "Promotion Approved":
      return { journey, what: type, summary: `${env} by ${text(d.approvedBy) ?? "?"}`, outcome: "progress" };
    case "Config Committed":
      return {
        journey,
        what: type,
        summary: `${env} ${text(d.kind) === "revert" ? `revert to ${text(d.tag) ?? "?"}` : text(d.tag)} → config ${short(d.configCommit)}${text(d.by) === "person" ? ` by ${text(d.author) ?? "a person"}` : ""}`,
        outcome: "progress",
      };
    case "Pull Request Opened":
      return {
        journey,
        what: type,
        summary: `${env} ${text(d.url) ?? ""} · review it, then: shipline merge ${text(d.app) ?? "<app>"} ${env}`,
        outcome: "progress",
      };
    case "Sync Requested":
      return {
        journey,
        what: type,
        summary: `${text(d.application)} @ ${short(d.revision)}`,
        outcome: "progress",
      };
    case "Deployment Verified":
      return {
        journey,
        what: type,
        summary: `${env}: ${text(d.application)} Synced, Healthy`,
        outcome: "success",
      };
    case "Deployment Failed":
      return { journey, what: type, summary: `${env}: ${text(d.reason) ?? ""}`, outcome: "failure" };
    case "Rollback Committed":
      return {
        journey,
        what: type,
        summary: `${env}: reverted ${short(d.revertedCommit)}${restoredOf(d)}`,
        outcome: "progress",
      };
    case "Hold Placed":
      return {
        journey,
        what: type,
        summary: `${env} by ${text(d.placedBy) ?? "?"}: ${text(d.reason) ?? ""} · release: shipline release ${text(d.app) ?? "<app>"} ${env}`,
        outcome: "progress",
      };
    case "Hold Released":
      return { journey, what: type, summary: env, outcome: "progress" };
    case "Step Failed":
      return {
        journey,
        what: `${type} (${text(d.step) ?? "?"})`,
        summary: text(d.reason) ?? "",
        outcome: "failure",
      };
    case "CodeBuild Build State Change":
      return {
        journey: codeBuildJourney(d) ?? text(d["project-name"]) ?? "build",
        what: "CodeBuild",
        summary: text(d["build-status"]) ?? "",
        outcome: "progress",
      };
    case "ECR Image Action":
      return {
        journey: text(d["repository-name"]) ?? "",
        what: "ECR push",
        summary: text(d["image-tag"]) ?? "",
        outcome: "progress",
      };
    case "ECR Image Scan": {
      const counts = Object.entries(recordOf(d["finding-severity-counts"]))
        .filter(([, count]) => typeof count === "number" && count > 0)
        .map(([severity, count]) => `${severity} ${count}`);
      return {
        journey: text(d["repository-name"]) ?? "",
        what: "ECR scan",
        summary: `${text(d["scan-status"]) ?? ""}${counts.length ? ` (${counts.join(", ")})` : ""}`,
        outcome: "progress",
      };
    }
    default:
      return { journey, what: type, summary: "", outcome: "progress" };
  }
}

/**
 * What a `Promotion Waiting` says: `production waits for approval · shipline approve …`, `waits for
 * soak until 12:01:10`, `held by alice · shipline release …`.
 */
function waitingOf(env: string, detail: Readonly<Record<string, unknown>>): string {
  const command = text(detail.command);
  const then = command === undefined ? "" : ` · ${command}`;
  switch (text(detail.waitingFor)) {
    case "approval":
      return `${env} waits for approval${then}`;
    case "soak": {
      const until = text(detail.until);
      return `${env} waits for soak${until === undefined ? "" : ` until ${until.slice(11, 19)}`}${then}`;
    }
    case "hold":
      return `${env} held by ${text(detail.heldBy) ?? "?"}${then}`;
    default:
      return `${env} waits: ${text(detail.reason) ?? ""}${then}`;
  }
}

/** `app@sha7` of a CodeBuild event, from the build's Shipline environment variables. */
function codeBuildJourney(detail: Readonly<Record<string, unknown>>): string | undefined {
  const variables = codeBuildVariables(detail);
  const app = variables.get("SHIPLINE_APP");
  const commit = variables.get("SHIPLINE_COMMIT");
  return app === undefined || commit === undefined ? undefined : `${app}@${short(commit)}`;
}

const environmentVariables = z.array(z.looseObject({ name: z.string(), value: z.string() }));

/**
 * The environment variables of a CodeBuild event (`additional-information.environment`), by name.
 *
 * @example
 * ```ts
 * codeBuildVariables(event.detail).get("SHIPLINE_CORRELATION_ID");
 * ```
 */
export function codeBuildVariables(detail: unknown): ReadonlyMap<string, string> {
  const environment = fieldOf(fieldOf(detail, "additional-information"), "environment");
  const parsed = environmentVariables.safeParse(fieldOf(environment, "environment-variables"));
  return new Map(parsed.success ? parsed.data.map((variable) => [variable.name, variable.value]) : []);
}

/** ` → 1.0.0-abc runs again` for a rollback that names the image it restored. */
function restoredOf(detail: Readonly<Record<string, unknown>>): string {
  const restored = detail.restored;
  if (typeof restored !== "object" || restored === null || !("tag" in restored)) return "";
  return typeof restored.tag === "string" ? ` → ${restored.tag} runs again` : "";
}
