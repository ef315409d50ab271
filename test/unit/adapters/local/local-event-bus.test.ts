import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  LocalEventBus,
  type LocalEventBusOptions,
} from "../../../../functions/adapters/local/local-event-bus.js";
import { type EventEnvelope, eventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import type { RuleDefinition } from "../../../../functions/core/topology/rule-definition.js";
import { RULES } from "../../../../functions/core/topology/rule-topology.js";
import { readFixture } from "../../../read-fixture.js";

function rule(overrides: Partial<RuleDefinition> = {}): RuleDefinition {
  return {
    name: "build-status-on-build",
    description: "test rule",
    bus: "shipline",
    eventPattern: { source: ["shipline"], "detail-type": ["Build Started"] },
    target: { kind: "step", step: "build-status" },
    retry: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 3600 },
    ...overrides,
  };
}

const entry = {
  Source: "shipline",
  DetailType: "Build Started",
  Detail: '{"app":"web"}',
  EventBusName: "shipline",
};

describe("LocalEventBus", () => {
  let bus: LocalEventBus;
  let dir: string;
  let now: number;
  let slept: number[];

  function newBus(options: LocalEventBusOptions = {}): LocalEventBus {
    bus = new LocalEventBus({
      clock: { now: () => new Date(now) },
      sleep: async (ms) => {
        slept.push(ms);
        now += ms;
      },
      random: () => 0.5,
      baseDelayMs: 100,
      maxDelayMs: 1000,
      ...options,
    });
    return bus;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-bus-"));
    now = Date.parse("2026-03-01T10:00:00.000Z");
    slept = [];
  });

  afterEach(async () => {
    await bus?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe("putEvents", () => {
    it("returns an event id per accepted entry and builds the EventBridge envelope", async () => {
      // Arrange
      newBus({ account: "123456789012", region: "eu-west-1", newId: () => "id-1" });
      const seen: EventEnvelope[] = [];
      bus.addRule(rule(), async (event) => {
        seen.push(event);
      });

      // Act
      const response = await bus.putEvents([{ ...entry, Resources: ["arn:build"] }]);
      await bus.drain();

      // Assert
      expect(response).toEqual({ FailedEntryCount: 0, Entries: [{ EventId: "id-1" }] });
      expect(seen).toEqual([
        {
          version: "0",
          id: "id-1",
          "detail-type": "Build Started",
          source: "shipline",
          account: "123456789012",
          time: "2026-03-01T10:00:00Z",
          region: "eu-west-1",
          resources: ["arn:build"],
          detail: { app: "web" },
        },
      ]);
    });

    it("uses the entry's Time when it has one", async () => {
      // Arrange
      newBus();
      const seen: EventEnvelope[] = [];
      bus.addRule(rule(), async (event) => {
        seen.push(event);
      });

      // Act
      await bus.putEvents([{ ...entry, Time: new Date("2016-01-14T01:02:03.456Z") }]);
      await bus.drain();

      // Assert
      expect(seen[0]?.time).toBe("2016-01-14T01:02:03Z");
    });

    it.each([0, 11])("refuses a request of %i entries as a ValidationException", async (count) => {
      // Arrange
      newBus();
      const entries = Array.from({ length: count }, () => entry);

      // Act
      const result = bus.putEvents(entries);

      // Assert
      await expect(result).rejects.toMatchObject({
        code: "PUT_EVENTS_INVALID",
        data: { awsErrorCode: "ValidationException", entries: count },
      });
    });

    it("reports a partial failure entry by entry, in request order", async () => {
      // Arrange
      newBus();
      const entries = [
        entry,
        { ...entry, Detail: "not json" },
        { ...entry, Detail: "[1,2]" },
        { ...entry, Source: "aws.ecr" },
        { ...entry, DetailType: undefined },
        { ...entry, EventBusName: "other-bus" },
        { ...entry, Detail: JSON.stringify({ blob: "x".repeat(256 * 1024) }) },
        { ...entry, EventBusName: "arn:aws:events:us-east-1:000000000000:event-bus/shipline" },
      ];

      // Act
      const response = await bus.putEvents(entries);

      // Assert
      expect(response.FailedEntryCount).toBe(6);
      expect(response.Entries.map((result) => result.ErrorCode ?? "ok")).toEqual([
        "ok",
        "MalformedDetail",
        "MalformedDetail",
        "NotAuthorizedForSourceException",
        "InvalidArgument",
        "InvalidArgument",
        "InvalidArgument",
        "ok",
      ]);
      expect(response.Entries[4]?.ErrorMessage).toContain("DetailType is a required argument");
      expect(response.Entries[6]?.ErrorMessage).toContain("exceeds the 262144-byte limit");
    });

    it("lets local AWS-service emitters put aws.* events through the privileged path", async () => {
      // Arrange
      newBus();
      const seen: string[] = [];
      bus.addRule(rule({ eventPattern: { source: ["aws.ecr"] } }), async (event) => {
        seen.push(event.source);
      });

      // Act
      const response = await bus.putServiceEvents([
        { Source: "aws.ecr", DetailType: "ECR Image Action", Detail: "{}" },
      ]);
      await bus.drain();

      // Assert
      expect(response.FailedEntryCount).toBe(0);
      expect(seen).toEqual(["aws.ecr"]);
    });

    it("keeps the id, account, region and time of envelopes built by local AWS stand-ins", async () => {
      // Arrange
      newBus();
      const seen: EventEnvelope[] = [];
      bus.addRule(rule({ eventPattern: { source: ["aws.ecr"] } }), async (event) => {
        seen.push(event);
      });
      const sample = eventEnvelope.parse(readFixture("aws/ecr-image-action.push.json"));

      // Act
      const response = await bus.putServiceEnvelopes([sample]);
      await bus.drain();

      // Assert
      expect(response.Entries).toEqual([{ EventId: sample.id }]);
      expect(seen).toEqual([sample]);
    });
  });

  describe("rules", () => {
    it("refuses an invalid pattern when the rule is added, with the reason", () => {
      // Arrange
      newBus();
      const bad = rule({ eventPattern: { source: "shipline" } });

      // Act
      const add = () => bus.addRule(bad, async () => undefined);

      // Assert
      expect(add).toThrow(/Event pattern is not valid\. Reason: "source" must be an object or an array/);
    });

    it("accepts every rule of the topology, keeping forward rules as pass-through", () => {
      // Arrange
      newBus();

      // Act
      for (const definition of RULES) bus.addRule(definition, async () => undefined);

      // Assert
      const forwards = RULES.filter((definition) => definition.target.kind === "bus").length;
      expect(bus.listRules()).toHaveLength(RULES.length - forwards);
    });

    it.each([
      ["ecr-image-action.push.json", ["image-pushed-on-ecr-image-action", "ledger-on-ecr-image-action"]],
      [
        "codebuild-build-state-change.succeeded.json",
        ["build-status-on-build-state-change", "ledger-on-codebuild-build-state-change"],
      ],
    ])("routes the AWS event %s through the topology to %j", async (fixture, expected) => {
      // Arrange
      newBus();
      const reached: string[] = [];
      for (const definition of RULES) {
        bus.addRule(definition, async () => {
          reached.push(definition.name);
        });
      }
      const sample = eventEnvelope.parse(readFixture(`aws/${fixture}`));

      // Act
      const response = await bus.putServiceEvents([
        { Source: sample.source, DetailType: sample["detail-type"], Detail: JSON.stringify(sample.detail) },
      ]);
      await bus.drain();

      // Assert
      expect(response.FailedEntryCount).toBe(0);
      expect(reached.sort()).toEqual(expected);
    });

    it("delivers only to rules whose pattern matches", async () => {
      // Arrange
      newBus();
      const seen: string[] = [];
      bus.addRule(rule({ name: "a" }), async () => {
        seen.push("a");
      });
      bus.addRule(rule({ name: "b", eventPattern: { detail: { app: [{ prefix: "api" }] } } }), async () => {
        seen.push("b");
      });
      bus.addRule(rule({ name: "c", eventPattern: { detail: { app: ["web"] } } }), async () => {
        seen.push("c");
      });

      // Act
      await bus.putEvents([entry]);
      await bus.drain();

      // Assert
      expect(seen.sort()).toEqual(["a", "c"]);
    });

    it("delivers asynchronously, never within the putEvents call", async () => {
      // Arrange
      newBus();
      const seen: string[] = [];
      bus.addRule(rule(), async () => {
        seen.push("delivered");
      });

      // Act
      const put = bus.putEvents([entry]);
      const before = [...seen];
      await put;
      await bus.drain();

      // Assert
      expect(before).toEqual([]);
      expect(seen).toEqual(["delivered"]);
    });
  });

  describe("retries and dead letters", () => {
    it("retries a failing target with exponential backoff and full jitter", async () => {
      // Arrange
      newBus();
      let calls = 0;
      bus.addRule(rule({ retry: { maximumRetryAttempts: 5, maximumEventAgeSeconds: 3600 } }), async () => {
        calls++;
        if (calls < 4) throw new Error("unavailable");
      });

      // Act
      await bus.putEvents([entry]);
      await bus.drain();

      // Assert: random 0.5 of ceilings 100, 200, 400
      expect(calls).toBe(4);
      expect(slept).toEqual([50, 100, 200]);
      expect(bus.deadLetters.list()).toEqual([]);
    });

    it("dead-letters after the maximum attempts with rule, target, error and attempts", async () => {
      // Arrange
      const deadLetterPath = join(dir, "bus", "dead-letters.jsonl");
      newBus({ deadLetterPath });
      bus.addRule(rule(), async () => {
        throw new Error("target down");
      });

      // Act
      await bus.putEvents([entry]);
      await bus.drain();

      // Assert
      const lines = (await readFile(deadLetterPath, "utf8")).trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0] ?? "")).toMatchObject({
        rule: "build-status-on-build",
        target: "step:build-status",
        error: { message: "target down" },
        attempts: 3,
        reason: "max-attempts",
        event: { "detail-type": "Build Started", detail: { app: "web" } },
      });
    });

    it("dead-letters when the next retry would pass the maximum event age", async () => {
      // Arrange
      newBus({ baseDelayMs: 40_000, maxDelayMs: 40_000, random: () => 0.99 });
      let calls = 0;
      bus.addRule(rule({ retry: { maximumRetryAttempts: 100, maximumEventAgeSeconds: 60 } }), async () => {
        calls++;
        throw new Error("slow");
      });

      // Act
      await bus.putEvents([entry]);
      await bus.drain();

      // Assert: one wait of 39.6 s fits in 60 s, a second does not
      expect(calls).toBe(2);
      expect(bus.deadLetters.list()[0]).toMatchObject({ reason: "max-event-age", attempts: 2 });
    });

    it("dead-letters a non-retryable Shipline error without retrying", async () => {
      // Arrange
      newBus();
      bus.addRule(rule(), async () => {
        throw new ShiplineError({ code: "EVENT_INVALID", message: "bad detail", retryable: false });
      });

      // Act
      await bus.putEvents([entry]);
      await bus.drain();

      // Assert
      expect(slept).toEqual([]);
      expect(bus.deadLetters.list()[0]).toMatchObject({
        reason: "non-retryable",
        attempts: 1,
        error: { code: "EVENT_INVALID" },
      });
    });

    it("reports a dead letter it cannot write instead of losing the failure", async () => {
      // Arrange
      await writeFile(join(dir, "blocker"), "a file where a directory should be");
      const errors: unknown[] = [];
      newBus({
        deadLetterPath: join(dir, "blocker", "dead-letters.jsonl"),
        onBusError: (error) => errors.push(error),
      });
      bus.addRule(rule({ retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 } }), async () => {
        throw new Error("down");
      });

      // Act
      await bus.putEvents([entry]);
      await bus.drain();

      // Assert
      expect(errors).toHaveLength(1);
      expect(String(errors[0])).toContain("blocker");
    });

    it("dead-letters pending retries when the bus closes", async () => {
      // Arrange
      newBus({
        sleep: (_ms, signal) => new Promise((_resolve, reject) => signal.addEventListener("abort", reject)),
      });
      let calls = 0;
      bus.addRule(rule(), async () => {
        calls++;
        throw new Error("down");
      });
      await bus.putEvents([entry]);
      while (calls === 0) await new Promise((resolve) => setImmediate(resolve));

      // Act
      await bus.close();

      // Assert
      expect(bus.deadLetters.list()[0]).toMatchObject({ reason: "bus-closed", attempts: 1 });
      await expect(bus.putEvents([entry])).rejects.toMatchObject({ code: "BUS_CLOSED" });
    });
  });

  describe("deliveries across a restart", () => {
    it("keeps a retry the closing bus cut short and delivers it when the next bus resumes", async () => {
      // Arrange: the first bus's target fails once, then the bus closes during the retry wait.
      const paths = {
        archivePath: join(dir, "archive.jsonl"),
        deadLetterPath: join(dir, "dead-letters.jsonl"),
        pendingPath: join(dir, "pending.jsonl"),
      };
      const first = newBus({
        ...paths,
        sleep: (_ms, signal) => new Promise((_resolve, reject) => signal.addEventListener("abort", reject)),
      });
      let calls = 0;
      first.addRule(rule(), async () => {
        calls++;
        throw new Error("down");
      });
      const [put] = (await first.putEvents([entry])).Entries;
      while (calls === 0) await new Promise((resolve) => setImmediate(resolve));
      await first.close();
      const delivered: EventEnvelope[] = [];
      const second = newBus(paths);
      second.addRule(rule(), async (event) => {
        delivered.push(event);
      });

      // Act
      const resumed = await second.resumePending();
      await second.drain();
      const again = await newBus(paths).resumePending();

      // Assert
      expect(first.deadLetters.list()).toEqual([]);
      expect(resumed).toBe(1);
      expect(delivered.map((event) => event.id)).toEqual([put && "EventId" in put ? put.EventId : ""]);
      expect(again).toBe(0);
    });
  });

  describe("archive and replay", () => {
    it("archives every accepted event as a JSON line", async () => {
      // Arrange
      const archivePath = join(dir, "bus", "archive.jsonl");
      newBus({ archivePath, newId: () => "e-1" });

      // Act
      await bus.putEvents([entry, { ...entry, Detail: "oops" }]);

      // Assert
      const lines = (await readFile(archivePath, "utf8")).trim().split("\n");
      expect(lines.map((line) => JSON.parse(line))).toEqual([
        { archivedAt: "2026-03-01T10:00:00.000Z", event: expect.objectContaining({ id: "e-1" }) },
      ]);
    });

    it("replays a time window to the chosen rules with replay-name set", async () => {
      // Arrange
      newBus({ archivePath: join(dir, "archive.jsonl") });
      const seen: Array<{ rule: string; detail: unknown; replay?: string }> = [];
      for (const name of ["first", "second"]) {
        bus.addRule(rule({ name }), async (event) => {
          seen.push({ rule: name, detail: event.detail, replay: event["replay-name"] });
        });
      }
      await bus.putEvents([{ ...entry, Detail: '{"n":1}' }]);
      now += 60_000;
      await bus.putEvents([{ ...entry, Detail: '{"n":2}' }]);
      now += 60_000;
      await bus.putEvents([{ ...entry, Detail: '{"n":3}' }]);
      await bus.drain();
      seen.length = 0;

      // Act
      const result = await bus.replay({
        name: "redo-2",
        from: new Date("2026-03-01T10:01:00Z"),
        to: new Date("2026-03-01T10:02:00Z"),
        rules: ["second"],
      });
      await bus.drain();

      // Assert
      expect(result).toEqual({ name: "redo-2", events: 1, deliveries: 1 });
      expect(seen).toEqual([{ rule: "second", detail: { n: 2 }, replay: "redo-2" }]);
    });

    it("refuses a replay to a rule that is not on the bus", async () => {
      // Arrange
      newBus();
      bus.addRule(rule(), async () => undefined);

      // Act
      const result = bus.replay({ name: "r", rules: ["missing-rule"] });

      // Assert
      await expect(result).rejects.toMatchObject({ code: "REPLAY_INVALID" });
    });
  });
});
