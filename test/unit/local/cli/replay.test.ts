import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ListArchivesCommand,
  ListRulesCommand,
  StartReplayCommand,
} from "@aws-sdk/client-eventbridge";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LocalEventBus } from "../../../../functions/adapters/local/local-event-bus.js";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { ruleNamed } from "../../../../functions/core/topology/rule-topology.js";
import { recordBusEndpoint } from "../../../../functions/local/bus/bus-endpoint.js";
import { BusServer } from "../../../../functions/local/bus/bus-server.js";
import { main } from "../../../../functions/local/cli/main.js";
import { captureIo } from "../bus/capture-io.js";

describe("shipline replay against the local runtime", () => {
  let dir: string;
  let bus: LocalEventBus;
  let server: BusServer;
  let ledger: EventEnvelope[];
  let notify: EventEnvelope[];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-replay-"));
    ledger = [];
    notify = [];
    bus = new LocalEventBus({ archivePath: join(dir, "archive.jsonl") });
    bus.addRule(ruleNamed("ledger-on-shipline-event"), async (event) => {
      ledger.push(event);
    });
    bus.addRule(ruleNamed("notify-on-terminal-event"), async (event) => {
      notify.push(event);
    });
    server = new BusServer({ bus });
    await recordBusEndpoint(join(dir, ".shipline"), await server.start());
    await bus.putEvents([
      { Source: "shipline", DetailType: "Build Failed", Detail: JSON.stringify({ app: "web" }) },
    ]);
    await bus.drain();
    ledger.length = 0;
    notify.length = 0;
  });

  afterEach(async () => {
    await server.stop();
    await bus.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("replays the window to the named rule only, through EventBridge's StartReplay", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(
      ["replay", "--from", "1h", "--rule", "ledger-on-shipline-event", "--name", "refill-ledger"],
      capture.io,
    );
    await bus.drain();

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toContain("Replay refill-ledger RUNNING");
    expect(capture.stdout()).toContain("replaying 1 archived event(s) as 1 delivery");
    expect(ledger.map((event) => [event["detail-type"], event["replay-name"]])).toEqual([
      ["Build Failed", "refill-ledger"],
    ]);
    expect(notify).toEqual([]);
  });

  it("replays to every rule without --rule and prints JSON with --json", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["replay", "--from", "1h", "--json", "--name", "all"], capture.io);
    await bus.drain();

    // Assert
    expect(code).toBe(0);
    expect(JSON.parse(capture.stdout())).toMatchObject({ name: "all", state: "RUNNING" });
    expect([ledger.length, notify.length]).toEqual([1, 1]);
  });

  it("replays an event archived in the same millisecond as the replay starts, when --to is left out", async () => {
    // Arrange: a bus whose clock stands still, so the event and the replay share one millisecond.
    const at = new Date();
    const still = new LocalEventBus({ archivePath: join(dir, "still.jsonl"), clock: { now: () => at } });
    const seen: EventEnvelope[] = [];
    still.addRule(ruleNamed("ledger-on-shipline-event"), async (event) => {
      seen.push(event);
    });
    const stillServer = new BusServer({ bus: still });
    const stillDir = join(dir, "still");
    await recordBusEndpoint(join(stillDir, ".shipline"), await stillServer.start());
    await still.putEvents([
      { Source: "shipline", DetailType: "Build Failed", Detail: JSON.stringify({ app: "web" }) },
    ]);
    await still.drain();
    seen.length = 0;
    vi.useFakeTimers({ now: at, toFake: ["Date"] });

    // Act
    const code = await main(["replay", "--from", "1h"], captureIo(stillDir).io).finally(() =>
      vi.useRealTimers(),
    );
    await still.drain();
    await stillServer.stop();
    await still.close();

    // Assert
    expect(code).toBe(0);
    expect(seen.map((event) => event["detail-type"])).toEqual(["Build Failed"]);
  });

  it("replays nothing from a window before the events", async () => {
    // Arrange
    const capture = captureIo(dir);
    const to = new Date(Date.now() - 3_600_000).toISOString();

    // Act
    const code = await main(["replay", "--from", "2d", "--to", to], capture.io);
    await bus.drain();

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toContain("replaying 0 archived event(s) as 0 deliveries");
    expect(ledger).toEqual([]);
  });

  it("exits 2 for a rule the topology does not have, an inverted window or no --from", async () => {
    // Act
    const codes = await Promise.all([
      main(["replay", "--from", "1h", "--rule", "no-such-rule"], captureIo(dir).io),
      main(["replay", "--from", "1h", "--to", "2h"], captureIo(dir).io),
      main(["replay"], captureIo(dir).io),
    ]);

    // Assert
    expect(codes).toEqual([2, 2, 2]);
  });
});

describe("shipline replay --aws", () => {
  let eventBridge: AwsClientStub<EventBridgeClient>;

  beforeEach(() => {
    eventBridge = mockClient(EventBridgeClient);
  });

  afterEach(() => {
    eventBridge.restore();
  });

  it("finds the bus's archive and the deployed rule by its description, and starts the replay", async () => {
    // Arrange
    const busArn = "arn:aws:events:eu-west-1:123456789012:event-bus/ShiplineBus";
    const ruleArn = "arn:aws:events:eu-west-1:123456789012:rule/ShiplineBus/Shipline-RoutingLedger-1A2B";
    eventBridge.on(DescribeEventBusCommand, { Name: "ShiplineBus" }).resolves({ Arn: busArn });
    eventBridge.on(ListArchivesCommand, { EventSourceArn: busArn }).resolves({
      Archives: [{ ArchiveName: "ShiplineArchive", EventSourceArn: busArn }],
    });
    eventBridge
      .on(DescribeArchiveCommand, { ArchiveName: "ShiplineArchive" })
      .resolves({ ArchiveArn: "arn:aws:events:eu-west-1:123456789012:archive/ShiplineArchive" });
    eventBridge
      .on(ListRulesCommand)
      .resolvesOnce({
        Rules: [{ Name: "Shipline-Other-9", Arn: "arn:other", Description: "x" }],
        NextToken: "page-2",
      })
      .resolvesOnce({
        Rules: [
          {
            Name: "Shipline-RoutingLedger-1A2B",
            Arn: ruleArn,
            Description: ruleNamed("ledger-on-shipline-event").description,
          },
        ],
      });
    eventBridge
      .on(StartReplayCommand)
      .resolves({ ReplayArn: "arn:aws:events:eu-west-1:123456789012:replay/fix", State: "STARTING" });
    const capture = captureIo("/", { SHIPLINE_EVENT_BUS: "ShiplineBus", AWS_REGION: "eu-west-1" });

    // Act
    const code = await main(
      [
        "replay",
        "--aws",
        "--from",
        "2026-03-01T00:00:00Z",
        "--to",
        "2026-03-02T00:00:00Z",
        "--rule",
        "ledger-on-shipline-event",
        "--name",
        "fix",
      ],
      capture.io,
    );

    // Assert
    expect(code).toBe(0);
    const [call] = eventBridge.commandCalls(StartReplayCommand);
    expect(call?.args[0].input).toEqual({
      ReplayName: "fix",
      EventSourceArn: "arn:aws:events:eu-west-1:123456789012:archive/ShiplineArchive",
      EventStartTime: new Date("2026-03-01T00:00:00Z"),
      EventEndTime: new Date("2026-03-02T00:00:00Z"),
      Destination: { Arn: busArn, FilterArns: [ruleArn] },
    });
    expect(capture.stdout()).toContain("Replay fix STARTING");
  });

  it("asks for the bus when none is named", async () => {
    // Arrange
    const capture = captureIo("/", {});

    // Act
    const code = await main(["replay", "--aws", "--from", "1h"], capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("--bus <name> or set SHIPLINE_EVENT_BUS");
  });
});
