/**
 * Benchmark of the local event bus (`npm run bench:bus`, not part of `npm test`).
 *
 * 1. Matching throughput: 200,000 realistic events routed through the bus's rule index against 50
 *    rules that mix every operator (goal: at least 50,000 events/s).
 * 2. Delivery latency: 5,000 events put one PutEvents call at a time on a LocalEventBus with the
 *    same 50 rules and its archive on disk (a temporary directory); latency is measured from the
 *    putEvents call to each target invocation.
 *
 * Prints a table, then, as its last line, one JSON object:
 * {"eventsPerSecond": …, "rules": 50, "deliveryP50Ms": …, "deliveryP99Ms": …}
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { LocalEventBus } from "../functions/adapters/local/local-event-bus.js";
import type { EventEnvelope } from "../functions/core/contracts/event-envelope.js";
import type { EventPattern, RuleDefinition, StepName } from "../functions/core/topology/rule-definition.js";
import { STEPS } from "../functions/core/topology/rule-definition.js";
import { busLayout } from "../functions/local/bus/bus-layout.js";
import { RuleIndex } from "../functions/local/bus/rule-index.js";

const MATCH_EVENTS = 200_000;
const DELIVERY_EVENTS = 5_000;
const RULE_COUNT = 50;

const APPS = ["web", "api", "worker", "billing", "search"];
const ENVS = ["dev", "staging", "prod-eu", "prod-us"];
const SHIPLINE_TYPES = [
  "Commit Pushed",
  "Build Started",
  "Build Succeeded",
  "Build Failed",
  "Image Pushed",
  "Image Approved",
  "Image Rejected",
  "Config Committed",
  "Sync Requested",
  "Deployment Verified",
  "Deployment Failed",
  "Step Failed",
];

/** Fifty rules in the shape of Shipline's topology, with every operator represented. */
function benchRules(): RuleDefinition[] {
  const patterns: EventPattern[] = [
    {
      source: ["aws.ecr"],
      "detail-type": ["ECR Image Action"],
      detail: { "action-type": ["PUSH"], result: ["SUCCESS"] },
    },
    {
      source: ["aws.ecr"],
      "detail-type": ["ECR Image Scan"],
      detail: { "scan-status": [{ "anything-but": "IN_PROGRESS" }] },
    },
    {
      source: ["aws.codebuild"],
      "detail-type": ["CodeBuild Build State Change"],
      detail: { "build-status": [{ "anything-but": ["IN_PROGRESS"] }] },
    },
    { source: ["aws.inspector2"], "detail-type": ["Inspector2 Scan"] },
    { source: ["aws.codecommit"], detail: { event: ["referenceCreated", "referenceUpdated"] } },
    { source: ["shipline"], "detail-type": [{ suffix: "Failed" }] },
    {
      source: ["shipline"],
      "detail-type": [{ prefix: "Deployment" }],
      detail: { environment: [{ prefix: "prod" }] },
    },
    { source: ["shipline"], detail: { app: [{ "equals-ignore-case": "WEB" }] } },
    {
      source: ["shipline"],
      "detail-type": ["Image Pushed"],
      detail: { image: { repository: [{ wildcard: "*/ship*" }] } },
    },
    { source: [{ prefix: "ship" }], detail: { attempt: [{ numeric: [">", 2, "<=", 10] }] } },
    { source: ["shipline"], detail: { findings: { severity: ["CRITICAL"], fixAvailable: [true] } } },
    { source: ["shipline"], detail: { $or: [{ environment: ["prod-eu"] }, { app: ["billing"] }] } },
    { source: ["shipline"], detail: { clientIp: [{ cidr: "10.0.0.0/8" }] } },
    { source: ["shipline"], detail: { holdReason: [{ exists: false }], environment: [{ exists: true }] } },
    { "detail-type": [{ "anything-but": { prefix: "Build" } }], detail: { app: ["search"] } },
  ];
  const rules: RuleDefinition[] = patterns.map((eventPattern, index) =>
    rule(`mixed-${index}`, eventPattern, index),
  );
  for (let index = 0; rules.length < RULE_COUNT; index++) {
    const type = SHIPLINE_TYPES[index % SHIPLINE_TYPES.length] ?? "Commit Pushed";
    const env = ENVS[index % ENVS.length] ?? "dev";
    const pattern: EventPattern =
      index % 3 === 0
        ? { source: ["shipline"], "detail-type": [type] }
        : { source: ["shipline"], "detail-type": [type], detail: { environment: [env] } };
    rules.push(rule(`step-${index}`, pattern, index));
  }
  return rules;
}

function rule(name: string, eventPattern: EventPattern, index: number): RuleDefinition {
  const step: StepName = STEPS[index % STEPS.length] ?? "ledger";
  return {
    name,
    description: "bench",
    bus: "shipline",
    eventPattern,
    target: { kind: "step", step },
    retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
  };
}

function benchEvent(index: number): EventEnvelope {
  const app = APPS[index % APPS.length] ?? "web";
  const environment = ENVS[index % ENVS.length] ?? "dev";
  const kind = index % 10;
  const base = {
    version: "0",
    id: `e-${index}`,
    account: "000000000000",
    time: "2026-03-01T10:00:00Z",
    region: "us-east-1",
    resources: [],
  };
  if (kind === 0) {
    return {
      ...base,
      source: "aws.ecr",
      "detail-type": "ECR Image Action",
      detail: {
        "action-type": "PUSH",
        result: "SUCCESS",
        "repository-name": `shipline/${app}`,
        "image-tag": "abc1234",
      },
    };
  }
  if (kind === 1) {
    return {
      ...base,
      source: "aws.codebuild",
      "detail-type": "CodeBuild Build State Change",
      detail: {
        "build-status": index % 4 === 1 ? "IN_PROGRESS" : "SUCCEEDED",
        "project-name": `shipline-${app}`,
      },
    };
  }
  const detailType = SHIPLINE_TYPES[index % SHIPLINE_TYPES.length] ?? "Commit Pushed";
  return {
    ...base,
    source: "shipline",
    "detail-type": detailType,
    detail: {
      schemaVersion: 1,
      app,
      commit: "0123456789abcdef0123456789abcdef01234567",
      correlationId: `c-${index}`,
      environment,
      attempt: index % 12,
      clientIp: `10.${index % 256}.0.1`,
      image: { repository: `registry.local/shipline-${app}`, tag: "abc1234" },
      findings: [{ severity: index % 7 === 0 ? "CRITICAL" : "LOW", fixAvailable: index % 2 === 0 }],
    },
  };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function measureMatching(rules: readonly RuleDefinition[]): { eventsPerSecond: number; matched: number } {
  const index = new RuleIndex();
  for (const definition of rules) index.add(definition, async () => undefined);
  const events = Array.from({ length: 1000 }, (_, i) => benchEvent(i));
  for (let i = 0; i < 20_000; i++) index.match(events[i % events.length]!); // warm-up
  let matched = 0;
  const start = performance.now();
  for (let i = 0; i < MATCH_EVENTS; i++) matched += index.match(events[i % events.length]!).length;
  const seconds = (performance.now() - start) / 1000;
  return { eventsPerSecond: Math.round(MATCH_EVENTS / seconds), matched };
}

async function measureDelivery(rules: readonly RuleDefinition[]): Promise<number[]> {
  const latencies: number[] = [];
  const startedAt = new Map<string, number>();
  const dir = await mkdtemp(join(tmpdir(), "shipline-bench-bus-"));
  const bus = new LocalEventBus({ archivePath: busLayout(dir).archive });
  for (const definition of rules) {
    bus.addRule(definition, async (event) => {
      const started = startedAt.get(event.time);
      if (started !== undefined) latencies.push(performance.now() - started);
    });
  }
  for (let i = 0; i < DELIVERY_EVENTS; i++) {
    const event = benchEvent(i);
    // Each event gets its own Time, which its envelope carries to the target as the lookup key.
    const time = new Date(Date.UTC(2026, 0, 1) + i * 1000);
    startedAt.set(time.toISOString().replace(".000Z", "Z"), performance.now());
    await bus.putServiceEvents([
      {
        Source: event.source,
        DetailType: event["detail-type"],
        Detail: JSON.stringify(event.detail),
        EventBusName: "shipline",
        Time: time,
      },
    ]);
  }
  await bus.close();
  await rm(dir, { recursive: true, force: true });
  return latencies.sort((a, b) => a - b);
}

const rules = benchRules();
const matching = measureMatching(rules);
const latencies = await measureDelivery(rules);
const result = {
  eventsPerSecond: matching.eventsPerSecond,
  rules: rules.length,
  deliveryP50Ms: Number(percentile(latencies, 50).toFixed(3)),
  deliveryP99Ms: Number(percentile(latencies, 99).toFixed(3)),
};
const rows: Array<[string, string]> = [
  ["rules", String(result.rules)],
  ["events matched", MATCH_EVENTS.toLocaleString("en-US")],
  ["rule matches", matching.matched.toLocaleString("en-US")],
  ["matching throughput (events/s)", result.eventsPerSecond.toLocaleString("en-US")],
  [
    "events delivered",
    `${DELIVERY_EVENTS.toLocaleString("en-US")} (${latencies.length.toLocaleString("en-US")} deliveries)`,
  ],
  ["delivery latency p50 (ms)", result.deliveryP50Ms.toFixed(3)],
  ["delivery latency p99 (ms)", result.deliveryP99Ms.toFixed(3)],
];
const width = Math.max(...rows.map(([label]) => label.length));
console.log(`${"metric".padEnd(width)}  value`);
console.log(`${"-".repeat(width)}  ${"-".repeat(24)}`);
for (const [label, value] of rows) console.log(`${label.padEnd(width)}  ${value}`);
console.log(JSON.stringify(result));
