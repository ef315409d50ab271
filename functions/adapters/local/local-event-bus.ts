import { randomUUID } from "node:crypto";
import { MAX_ENTRIES_PER_PUT } from "../../core/contracts/bus-entry.js";
import { SHIPLINE_BUS_NAME } from "../../core/contracts/detail-type.js";
import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { compilePattern } from "../../core/event-pattern/compile-pattern.js";
import { systemClock } from "../../core/ports/clock.js";
import type { RuleDefinition } from "../../core/topology/rule-definition.js";
import { buildEnvelope } from "../../local/bus/build-envelope.js";
import { DeadLetterStore } from "../../local/bus/dead-letter-store.js";
import { abortableSleep, type DeliveryContext, deliverEvent } from "../../local/bus/deliver-event.js";
import { EventArchive } from "../../local/bus/event-archive.js";
import { JsonLinesFile } from "../../local/bus/json-lines-file.js";
import { PendingDeliveries } from "../../local/bus/pending-deliveries.js";
import {
  checkEntry,
  type PutEventsRequestEntry,
  type PutEventsResponse,
  type PutEventsResultEntry,
} from "../../local/bus/put-events-entry.js";
import { type RegisteredRule, RuleIndex, type RuleTargetFunction } from "../../local/bus/rule-index.js";
import type { LocalEventBusOptions } from "./local-event-bus-options.js";
import { type ReplayOptions, type ReplayResult, selectReplayRules } from "./local-event-bus-replay.js";

export type { LocalEventBusOptions } from "./local-event-bus-options.js";
export type { ReplayOptions, ReplayResult } from "./local-event-bus-replay.js";

/**
 * An in-process EventBridge: PutEvents semantics (1–10 entries, 256 KB per entry, per-entry
 * results), rules compiled from the same {@link RuleDefinition}s CDK deploys, asynchronous delivery
 * with retries and a dead-letter store, an archive and replay.
 *
 * Locally there is one bus. Entries may name `default` or `shipline` (or their ARNs) and every rule
 * sees every event, whatever its `bus`: the default-bus rules that forward AWS events to the
 * shipline bus (target kind `bus`) are pass-through, so they are validated but deliver nothing.
 *
 * @example
 * ```ts
 * const bus = new LocalEventBus({ archivePath: busLayout(dataDir).archive });
 * for (const rule of RULES) bus.addRule(rule, (event) => invoke(rule.target, event));
 * await bus.putEvents([{ Source: "shipline", DetailType: "Build Started", Detail: "{...}" }]);
 * await bus.drain();
 * ```
 */
export class LocalEventBus {
  /** Events that could not be delivered. */
  readonly deadLetters: DeadLetterStore;
  /** Every accepted event. */
  readonly archive: EventArchive;
  private readonly rules = new RuleIndex();
  private readonly passThrough = new Map<string, RuleDefinition>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly controller = new AbortController();
  private readonly delivery: DeliveryContext;
  private readonly busNames: ReadonlySet<string>;
  private closed = false;
  private readonly pending: PendingDeliveries | undefined;

  constructor(private readonly options: LocalEventBusOptions = {}) {
    this.pending = options.pendingPath ? PendingDeliveries.open(options.pendingPath) : undefined;
    this.archive = new EventArchive(options.archivePath ? new JsonLinesFile(options.archivePath) : undefined);
    this.deadLetters = new DeadLetterStore(
      options.deadLetterPath ? new JsonLinesFile(options.deadLetterPath) : undefined,
    );
    this.busNames = new Set(options.busNames ?? ["default", SHIPLINE_BUS_NAME]);
    this.delivery = {
      clock: options.clock ?? systemClock,
      sleep: options.sleep ?? abortableSleep,
      backoff: {
        baseDelayMs: options.baseDelayMs ?? 200,
        maxDelayMs: options.maxDelayMs ?? 60_000,
        random: options.random ?? Math.random,
      },
      deadLetters: this.deadLetters,
      signal: this.controller.signal,
      onAttemptFailed: options.onAttemptFailed,
      keepOnClose: this.pending !== undefined,
    };
  }

  /**
   * Adds a rule and its target. The pattern is validated now: a bad one throws
   * `INVALID_EVENT_PATTERN` with EventBridge's reason. Forwarding rules (target kind `bus`) need no
   * target and are kept as pass-through.
   */
  addRule(rule: RuleDefinition, target?: RuleTargetFunction, targetName?: string): void {
    if (rule.target.kind === "bus") {
      compilePattern(rule.eventPattern);
      this.passThrough.set(rule.name, rule);
      return;
    }
    if (!target) {
      throw new ShiplineError({
        code: "RULE_TARGET_MISSING",
        message: `Rule "${rule.name}" needs a target function on the local bus; pass one to addRule`,
        data: { rule: rule.name },
      });
    }
    this.rules.add(rule, target, targetName);
  }

  /** Removes a rule by name; tells whether it was there. */
  removeRule(name: string): boolean {
    return this.rules.remove(name) || this.passThrough.delete(name);
  }

  /** The rules that deliver, in the order added. */
  listRules(): readonly RegisteredRule[] {
    return this.rules.list();
  }

  /**
   * PutEvents for custom sources: 1–10 entries (else a request-level `PUT_EVENTS_INVALID` error,
   * EventBridge's ValidationException), one result per entry, `FailedEntryCount`. Sources starting
   * with `aws.` are refused as EventBridge refuses them.
   */
  putEvents(entries: readonly PutEventsRequestEntry[]): Promise<PutEventsResponse> {
    return this.put(entries, false);
  }

  /**
   * PutEvents for local stand-ins of AWS services (registry, builder), which publish `aws.ecr` or
   * `aws.codebuild` events as the real services do on the default bus.
   */
  putServiceEvents(entries: readonly PutEventsRequestEntry[]): Promise<PutEventsResponse> {
    return this.put(entries, true);
  }

  /**
   * The privileged path for emitters that build whole envelopes (the registry's `ECR Image Action`):
   * the envelope keeps its id, account, region and time, and is checked and routed like an entry.
   */
  putServiceEnvelopes(events: readonly EventEnvelope[]): Promise<PutEventsResponse> {
    const entries = events.map((event) => ({
      Source: event.source,
      DetailType: event["detail-type"],
      Detail: JSON.stringify(event.detail),
      Resources: event.resources,
    }));
    return this.put(entries, true, events);
  }

  /**
   * Re-delivers the archived events accepted within `[from, to)` to all rules or the named ones,
   * each with `replay-name` set. Deliveries run in the background; `drain()` awaits them.
   */
  async replay(options: ReplayOptions): Promise<ReplayResult> {
    this.assertOpen();
    const selected = selectReplayRules(this.rules.list(), options);
    const records = await this.archive.read({ from: options.from, to: options.to });
    let deliveries = 0;
    for (const record of records) {
      const event: EventEnvelope = { ...record.event, "replay-name": options.name };
      for (const rule of this.rules.match(event)) {
        if (!selected.has(rule.definition.name)) continue;
        this.schedule(rule, event);
        deliveries++;
      }
    }
    return { name: options.name, events: records.length, deliveries };
  }

  /**
   * Delivers again, from the archive, every delivery an earlier run of the bus left unfinished (a
   * stop during a retry wait, a crash), to the rules registered by now; resolves with how many.
   * Call it once every rule is added.
   */
  async resumePending(): Promise<number> {
    const pending = this.pending?.list() ?? [];
    if (pending.length === 0) return 0;
    const wanted = new Set(pending.map((delivery) => delivery.eventId));
    const events = new Map(
      (await this.archive.read())
        .filter((record) => wanted.has(record.event.id))
        .map((record) => [record.event.id, record.event]),
    );
    let resumed = 0;
    for (const delivery of pending) {
      const event = events.get(delivery.eventId);
      const rule = this.rules.list().find((candidate) => candidate.definition.name === delivery.rule);
      if (event === undefined || rule === undefined) {
        // Its rule is gone or the event is not in the archive: nothing can deliver it any more.
        this.pending?.done(delivery.eventId, delivery.rule);
        continue;
      }
      this.schedule(rule, event, delivery.receivedAt);
      resumed += 1;
    }
    return resumed;
  }

  /** Resolves once every delivery under way (including retries and deliveries they cause) is done. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Refuses new events, cancels pending retry waits (their events are dead-lettered) and drains. */
  async close(): Promise<void> {
    this.closed = true;
    this.controller.abort(new Error("local event bus closed"));
    await this.drain();
  }

  private async put(
    entries: readonly PutEventsRequestEntry[],
    allowAwsSource: boolean,
    envelopes?: readonly EventEnvelope[],
  ): Promise<PutEventsResponse> {
    this.assertOpen();
    if (entries.length < 1 || entries.length > MAX_ENTRIES_PER_PUT) {
      throw new ShiplineError({
        code: "PUT_EVENTS_INVALID",
        message: `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length between 1 and ${MAX_ENTRIES_PER_PUT} (got ${entries.length}); split the batch`,
        data: { awsErrorCode: "ValidationException", entries: entries.length },
      });
    }
    const receivedAt = this.delivery.clock.now();
    const results: PutEventsResultEntry[] = [];
    const accepted: EventEnvelope[] = [];
    for (const [index, entry] of entries.entries()) {
      const checked = checkEntry(entry, { busNames: this.busNames, allowAwsSource });
      if ("ErrorCode" in checked) {
        results.push(checked);
        continue;
      }
      const given = envelopes?.[index];
      const event = buildEnvelope(checked, {
        id: given?.id ?? (this.options.newId ?? randomUUID)(),
        account: given?.account ?? this.options.account ?? "000000000000",
        region: given?.region ?? this.options.region ?? "us-east-1",
        receivedAt,
      });
      if (given) event.time = given.time;
      accepted.push(event);
      results.push({ EventId: event.id });
    }
    await this.archive.append(accepted, receivedAt);
    for (const event of accepted) {
      for (const rule of this.rules.match(event)) this.schedule(rule, event, receivedAt.getTime());
    }
    return { FailedEntryCount: entries.length - accepted.length, Entries: results };
  }

  private schedule(
    rule: RegisteredRule,
    event: EventEnvelope,
    receivedAt = this.delivery.clock.now().getTime(),
  ): void {
    const name = rule.definition.name;
    // A replay is not kept: its event was delivered once already, and a lost replay is run again.
    const kept = event["replay-name"] === undefined ? this.pending : undefined;
    kept?.add({ eventId: event.id, rule: name, receivedAt });
    // A microtask: the caller of putEvents gets its answer first, yet a busy producer cannot starve delivery.
    const delivery = Promise.resolve()
      .then(() => deliverEvent(rule, event, receivedAt, this.delivery))
      .then((outcome) => {
        if (outcome !== "interrupted") kept?.done(event.id, name);
      });
    const onBusError = this.options.onBusError ?? reportToStderr;
    const tracked = delivery.catch(onBusError).finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new ShiplineError({
        code: "BUS_CLOSED",
        message: "The local event bus is closed; start a new one to put or replay events",
        retryable: true,
      });
    }
  }
}

function reportToStderr(error: unknown): void {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`local event bus: a delivery could not be completed: ${message}\n`);
}
