import * as z from "zod";
import { DetailType } from "../contracts/detail-type.js";
import type { EventEnvelope } from "../contracts/event-envelope.js";
import type { DocumentStore, StoreKey } from "../ports/document-store.js";
import type { DeploymentRecord } from "./deployment-record.js";
import { deploymentRecord } from "./deployment-record.js";
import { ENVIRONMENT_DETAIL_TYPES } from "./environment-state.js";
import { environmentStatesOf } from "./environment-states-of.js";
import { journeyStart } from "./journey-start.js";
import type { LedgerSubject } from "./ledger-entry.js";
import { ledgerEntryOf } from "./ledger-entry-of.js";
import type { JourneyHop, LedgerHop } from "./ledger-hop.js";
import { LEDGER_TABLE, ledgerKeys } from "./ledger-keys.js";
import { type CommitIndexEntry, commitIndexEntry, LedgerReader } from "./ledger-reader.js";
import { secondsBetween } from "./seconds-between.js";

/** A metric the ledger emits for a recorded hop (CloudWatch EMF through Powertools on AWS). */
export interface LedgerMetric {
  readonly name:
    | "EventRecorded"
    | "DeploymentVerified"
    | "DeploymentFailed"
    | "LeadTimeSeconds"
    | "TimeToRestoreSeconds";
  readonly unit: "Count" | "Seconds";
  readonly value: number;
  /** `detailType` for EventRecorded; `app` and `environment` for the deployment metrics. */
  readonly dimensions: Readonly<Record<string, string>>;
}

/** What recording an event did. */
export type RecordOutcome =
  | { readonly kind: "recorded"; readonly hop: LedgerHop; readonly metrics: readonly LedgerMetric[] }
  /** The event was recorded before (a redelivery or a replay). */
  | { readonly kind: "duplicate"; readonly hop: LedgerHop }
  | { readonly kind: "ignored"; readonly reason: string };

/** Options of {@link recordHop}. */
export interface RecordHopOptions {
  readonly store: DocumentStore;
  /** The event, as delivered (a Shipline event or a forwarded AWS event). */
  readonly event: EventEnvelope;
  /** The environments whose verified deployments count for DORA (see `productionEnvironments`). */
  readonly productionEnvironments: ReadonlySet<string>;
  /** @default "ledger" */
  readonly table?: string;
}

const indexedJourney = z.object({ app: z.string(), commit: z.string(), correlationId: z.string() });

/**
 * Records one event in the ledger, once per event id: the hop under its journey (or its push), the
 * app and commit indexes, the image index that ties later ECR and Inspector events to the journey,
 * the environment's state, and for deployments an outcome record with lead time (production only)
 * and time to restore. Returns the metrics to emit; a duplicate or an ignored event emits none.
 * Derived records are written before the hop, so a retry after a crash completes them.
 *
 * @example
 * ```ts
 * const outcome = await recordHop({ store, event, productionEnvironments: new Set(["production"]) });
 * if (outcome.kind === "recorded") emit(outcome.metrics);
 * ```
 */
export async function recordHop(options: RecordHopOptions): Promise<RecordOutcome> {
  const { store, event } = options;
  const table = options.table ?? LEDGER_TABLE;
  const entry = ledgerEntryOf(event);
  if (entry.kind === "ignored") return entry;
  const resolved = await resolveSubject(store, table, entry.subject, entry.hop);
  if (resolved.kind === "ignored") return resolved;
  const { hop, key } = resolved;
  if ((await store.get(table, key)) !== undefined) return { kind: "duplicate", hop };
  const metrics: LedgerMetric[] = [
    { name: "EventRecorded", unit: "Count", value: 1, dimensions: { detailType: hop.detailType } },
  ];
  if (resolved.journey !== undefined) {
    metrics.push(...(await recordJourneyFacts({ ...options, table, hop: resolved.journey })));
  }
  const fresh = await store.put(table, key, hop, { ifAbsent: true });
  return fresh ? { kind: "recorded", hop, metrics } : { kind: "duplicate", hop };
}

type Resolved =
  | {
      readonly kind: "resolved";
      readonly hop: LedgerHop;
      readonly key: StoreKey;
      readonly journey?: JourneyHop;
    }
  | { readonly kind: "ignored"; readonly reason: string };

async function resolveSubject(
  store: DocumentStore,
  table: string,
  subject: LedgerSubject,
  hop: LedgerHop,
): Promise<Resolved> {
  switch (subject.kind) {
    case "journey": {
      const journey = { ...hop, app: subject.app, commit: subject.commit };
      return {
        kind: "resolved",
        hop: journey,
        journey,
        key: ledgerKeys.journeyHop(subject.app, subject.commit, hop.at, hop.eventId),
      };
    }
    case "push":
      return { kind: "resolved", hop, key: ledgerKeys.pushHop(subject.commit, hop.at, hop.eventId) };
    case "unattributed":
      return { kind: "resolved", hop, key: ledgerKeys.unattributedHop(hop.at, hop.eventId) };
    case "image": {
      const keys = [
        ledgerKeys.imageDigest(subject.repository, subject.digest),
        ...subject.tags.map((tag) => ledgerKeys.imageTag(subject.repository, tag)),
      ];
      for (const indexKey of keys) {
        const found = indexedJourney.safeParse(await store.get(table, indexKey));
        if (!found.success) continue;
        const journey = { ...hop, ...found.data };
        return {
          kind: "resolved",
          hop: journey,
          journey,
          key: ledgerKeys.journeyHop(found.data.app, found.data.commit, hop.at, hop.eventId),
        };
      }
      return {
        kind: "ignored",
        reason: `image ${subject.repository}@${subject.digest} is tied to no journey: Shipline did not announce its tag or digest`,
      };
    }
  }
}

/** Writes the indexes, the environment state and the deployment outcome of a journey's hop. */
async function recordJourneyFacts(
  options: RecordHopOptions & { readonly table: string; readonly hop: JourneyHop },
): Promise<LedgerMetric[]> {
  const { store, table, hop } = options;
  const ref = { app: hop.app, commit: hop.commit, correlationId: hop.correlationId };
  await store.put(table, ledgerKeys.app(hop.app), { app: hop.app });
  await indexCommit(store, table, hop);
  if (
    hop.repository !== undefined &&
    (hop.detailType === DetailType.BuildStarted || hop.detailType === DetailType.ImagePushed)
  ) {
    if (hop.tag !== undefined && !hop.tag.includes("{")) {
      await store.put(table, ledgerKeys.imageTag(hop.repository, hop.tag), ref);
    }
    if (hop.digest !== undefined)
      await store.put(table, ledgerKeys.imageDigest(hop.repository, hop.digest), ref);
  }
  if (hop.environment === undefined || !ENVIRONMENT_DETAIL_TYPES.has(hop.detailType)) return [];
  // The environment's state is derived from its hops (append-only: no update to lose when two
  // events of one environment are recorded at once); the state before this hop measures restores.
  const environment = hop.environment;
  await store.put(table, ledgerKeys.environmentHop(hop.app, environment, hop.at, hop.eventId), hop, {
    ifAbsent: true,
  });
  const reader = new LedgerReader({ store, table });
  const earlier = (await reader.environmentHops(hop.app)).filter(
    (known) => known.environment === environment && known.eventId !== hop.eventId && known.at <= hop.at,
  );
  const before = environmentStatesOf(earlier)[0];
  const metrics: LedgerMetric[] = [];
  if (hop.detailType === DetailType.DeploymentVerified || hop.detailType === DetailType.DeploymentFailed) {
    const outcome = await recordDeployment(options, before?.failingSince);
    metrics.push(...deploymentMetrics(outcome));
  }
  if (hop.detailType === DetailType.ConfigCommitted && hop.by === "person" && hop.kind === "revert") {
    // A person's revert says the change it undid failed, though no deployment reported it (DORA).
    const record: DeploymentRecord = {
      app: hop.app,
      environment: hop.environment,
      production: options.productionEnvironments.has(hop.environment),
      outcome: "failed",
      kind: "update",
      commit: hop.commit,
      at: hop.at,
      eventId: hop.eventId,
    };
    await store.put(table, ledgerKeys.deployment(hop.app, hop.at, hop.eventId), record, { ifAbsent: true });
    metrics.push(...deploymentMetrics(record));
  }
  return metrics;
}

async function indexCommit(store: DocumentStore, table: string, hop: JourneyHop): Promise<void> {
  const key = ledgerKeys.commit(hop.app, hop.commit);
  const previous = commitIndexEntry.safeParse(await store.get(table, key));
  const entry: CommitIndexEntry = previous.success
    ? {
        ...previous.data,
        firstAt: [hop.at, previous.data.firstAt].sort()[0] ?? hop.at,
        ...(hop.at >= previous.data.lastAt ? { lastAt: hop.at, lastDetailType: hop.detailType } : {}),
      }
    : {
        app: hop.app,
        commit: hop.commit,
        correlationId: hop.correlationId,
        firstAt: hop.at,
        lastAt: hop.at,
        lastDetailType: hop.detailType,
      };
  await store.put(table, key, entry);
}

async function recordDeployment(
  options: RecordHopOptions & { readonly table: string; readonly hop: JourneyHop },
  failingSince: string | undefined,
): Promise<DeploymentRecord> {
  const { store, table, hop } = options;
  const environment = hop.environment ?? "";
  const verified = hop.detailType === DetailType.DeploymentVerified;
  const kind = hop.kind ?? "update";
  const production = options.productionEnvironments.has(environment);
  let leadTimeSeconds: number | undefined;
  if (verified && production && kind === "update") {
    const start = journeyStart(await new LedgerReader({ store, table }).journey(hop.app, hop.commit));
    if (start !== undefined) leadTimeSeconds = secondsBetween(start, hop.at);
  }
  const record: DeploymentRecord = {
    app: hop.app,
    environment,
    production,
    outcome: verified ? "verified" : "failed",
    kind,
    commit: hop.commit,
    at: hop.at,
    eventId: hop.eventId,
    ...(leadTimeSeconds === undefined ? {} : { leadTimeSeconds }),
    ...(verified && failingSince !== undefined
      ? { restoreSeconds: secondsBetween(failingSince, hop.at) }
      : {}),
  };
  const key = ledgerKeys.deployment(hop.app, hop.at, hop.eventId);
  // A retry after a crash keeps the first record: its restore time was measured before the state moved on.
  if (await store.put(table, key, record, { ifAbsent: true })) return record;
  return deploymentRecord.parse(await store.get(table, key));
}

function deploymentMetrics(record: DeploymentRecord): LedgerMetric[] {
  const dimensions = { app: record.app, environment: record.environment };
  const metrics: LedgerMetric[] = [];
  if (record.outcome === "failed")
    metrics.push({ name: "DeploymentFailed", unit: "Count", value: 1, dimensions });
  if (record.outcome === "verified" && record.kind === "update") {
    metrics.push({ name: "DeploymentVerified", unit: "Count", value: 1, dimensions });
  }
  if (record.leadTimeSeconds !== undefined) {
    metrics.push({ name: "LeadTimeSeconds", unit: "Seconds", value: record.leadTimeSeconds, dimensions });
  }
  if (record.restoreSeconds !== undefined) {
    metrics.push({ name: "TimeToRestoreSeconds", unit: "Seconds", value: record.restoreSeconds, dimensions });
  }
  return metrics;
}
