import { DEFAULT_COMMIT_MESSAGE } from "../config/config-repo.js";
import type { WriteIntent } from "./write-intent.js";

/** The trailers Shipline writes for each intent of a commit, in this order. */
export const TRAILER_KEYS = {
  app: "Shipline-App",
  environment: "Shipline-Environment",
  sourceCommit: "Source-Commit",
  imageDigest: "Image-Digest",
  imageTag: "Image-Tag",
  scanVerdict: "Scan-Verdict",
  reverts: "Shipline-Reverts",
  correlationId: "Correlation-Id",
  eventId: "Event-Id",
} as const;

/** Options of {@link renderCommitMessage}. */
export interface RenderCommitMessageOptions {
  /** Subject template with `{app}`, `{environment}`, `{tag}`, `{digest}`, `{sha}`, `{sha7}`, `{repository}`. @default DEFAULT_COMMIT_MESSAGE */
  readonly template?: string;
  /** The intents the commit carries out, in order (at least one). */
  readonly intents: readonly WriteIntent[];
}

/**
 * Renders the message of a config commit: a subject, a body naming each intent when there are
 * several, and one block of git trailers (`Key: value`, one per line after a blank line, as
 * `git interpret-trailers` reads them) holding, for every intent, `Shipline-App`,
 * `Shipline-Environment`, `Source-Commit`, `Image-Digest`, `Image-Tag`, `Scan-Verdict` (when
 * known), `Shipline-Reverts` (reverts), `Correlation-Id` and, last, `Event-Id`, which makes the
 * write idempotent. The block says everything `Config Committed` reports, so a commit that reaches
 * the branch through a merged pull request can be reported from its message alone.
 *
 * @example
 * ```ts
 * renderCommitMessage({ template: "deploy({environment}): {app} {tag}", intents: [intent] });
 * // "deploy(staging): demo 1.4.0-0123456\n\nShipline-App: demo\n...\nEvent-Id: 6f1c...\n"
 * ```
 */
export function renderCommitMessage(options: RenderCommitMessageOptions): string {
  const template = options.template ?? DEFAULT_COMMIT_MESSAGE;
  const subjects = options.intents.map((intent) => subjectOf(template, intent));
  const first = subjects[0];
  if (first === undefined) throw new RangeError("renderCommitMessage needs at least one intent");
  const subject =
    subjects.length === 1 ? first : `deploy: ${subjects.length} changes (${appList(options.intents)})`;
  const body = subjects.length === 1 ? "" : `${subjects.map((line) => `- ${line}`).join("\n")}\n\n`;
  const trailers = options.intents.flatMap((intent) => trailersOf(intent)).join("\n");
  return `${oneLine(subject)}\n\n${body}${trailers}\n`;
}

/**
 * Fills a subject template for one intent. A revert reads `revert({environment}): {app} to
 * {tag} (undoes <sha7>)` whatever the template, so that rollbacks stand out in the history.
 *
 * @example
 * ```ts
 * subjectOf("deploy({environment}): {app} {tag}", intent); // "deploy(prod): demo 1.4.0-0123456"
 * ```
 */
export function subjectOf(template: string, intent: WriteIntent): string {
  if (intent.kind === "revert") {
    const undone = (intent.revertOf ?? "").slice(0, 7);
    return `revert(${intent.environment}): ${intent.app} to ${intent.image.tag} (undoes ${undone})`;
  }
  const values: Record<string, string> = {
    app: intent.app,
    environment: intent.environment,
    tag: intent.image.tag,
    digest: intent.image.digest,
    sha: intent.commit,
    sha7: intent.commit.slice(0, 7),
    repository: intent.image.repository,
  };
  return oneLine(template.replace(/\{([a-z0-9]+)\}/g, (whole, name: string) => values[name] ?? whole));
}

/**
 * Reads every `Key: value` line of the last paragraph of a commit message (its trailer block).
 *
 * @example
 * ```ts
 * parseTrailers("subject\n\nEvent-Id: abc\n"); // [{ key: "Event-Id", value: "abc" }]
 * ```
 */
export function parseTrailers(message: string): { readonly key: string; readonly value: string }[] {
  const paragraphs = message
    .replace(/\r\n/g, "\n")
    .trimEnd()
    .split(/\n\s*\n/);
  if (paragraphs.length < 2) return [];
  const last = paragraphs[paragraphs.length - 1] ?? "";
  const trailers: { key: string; value: string }[] = [];
  for (const line of last.split("\n")) {
    const match = /^([A-Za-z0-9][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
    if (!match) return [];
    trailers.push({ key: match[1] ?? "", value: (match[2] ?? "").trim() });
  }
  return trailers;
}

/**
 * The `Event-Id` trailer values of a commit message: the intents that commit carried out.
 *
 * @example
 * ```ts
 * eventIdsOf(commit.message); // ["6f1c...", "9a2b..."]
 * ```
 */
export function eventIdsOf(message: string): string[] {
  return parseTrailers(message)
    .filter((trailer) => trailer.key.toLowerCase() === TRAILER_KEYS.eventId.toLowerCase())
    .map((trailer) => trailer.value);
}

/** The trailers of one intent in a commit message, by key (`Shipline-App` … `Event-Id`). */
export type IntentTrailerBlock = ReadonlyMap<string, string>;

/**
 * Splits a commit message's trailer block into one map per intent, from `Shipline-App` to
 * `Event-Id` (see {@link renderCommitMessage}); a message Shipline did not write has none.
 *
 * @example
 * ```ts
 * intentTrailerBlocks(commit.message)[0]?.get(TRAILER_KEYS.imageTag); // "1.4.0-0123456"
 * ```
 */
export function intentTrailerBlocks(message: string): IntentTrailerBlock[] {
  const blocks: Map<string, string>[] = [];
  let current: Map<string, string> | undefined;
  for (const { key, value } of parseTrailers(message)) {
    const known = Object.values(TRAILER_KEYS).find((name) => name.toLowerCase() === key.toLowerCase());
    if (known === TRAILER_KEYS.app) current = new Map();
    if (known === undefined || current === undefined) continue;
    current.set(known, value);
    if (known === TRAILER_KEYS.eventId) {
      blocks.push(current);
      current = undefined;
    }
  }
  return blocks;
}

function trailersOf(intent: WriteIntent): string[] {
  const lines = [
    [TRAILER_KEYS.app, intent.app],
    [TRAILER_KEYS.environment, intent.environment],
    [TRAILER_KEYS.sourceCommit, intent.commit],
    [TRAILER_KEYS.imageDigest, intent.image.digest],
    [TRAILER_KEYS.imageTag, intent.image.tag],
    ...(intent.scanVerdict === undefined ? [] : [[TRAILER_KEYS.scanVerdict, intent.scanVerdict]]),
    ...(intent.revertOf === undefined ? [] : [[TRAILER_KEYS.reverts, intent.revertOf]]),
    [TRAILER_KEYS.correlationId, intent.correlationId],
    [TRAILER_KEYS.eventId, intent.intentId],
  ];
  return lines.map(([key, value]) => `${key}: ${oneLine(value ?? "")}`);
}

function appList(intents: readonly WriteIntent[]): string {
  const apps = [...new Set(intents.map((intent) => intent.app))];
  return apps.length <= 3 ? apps.join(", ") : `${apps.slice(0, 3).join(", ")} and ${apps.length - 3} more`;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, " ").trim();
}
