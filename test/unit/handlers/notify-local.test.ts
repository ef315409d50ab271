import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { LocalEventBus } from "../../../functions/adapters/local/local-event-bus.js";
import { LocalEventPublisher } from "../../../functions/adapters/local/local-event-publisher.js";
import { connectLocalNotify } from "../../../functions/handlers/notify-local.js";
import { busLayout } from "../../../functions/local/bus/bus-layout.js";
import { WebhookReceiver } from "../adapters/http/webhook-receiver.js";
import { OLDER, olderJourney } from "../local/timeline/timeline-fixture.js";
import { OutputCapture } from "./shared/step-test-kit.js";

const slackBody = z.object({ text: z.string(), blocks: z.array(z.unknown()) });

describe("connectLocalNotify", () => {
  let dataDir: string;
  let bus: LocalEventBus;
  let publisher: LocalEventPublisher;
  let receiver: WebhookReceiver;
  let url: string;
  const output = new OutputCapture();

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "shipline-notify-local-"));
    const layout = busLayout(dataDir);
    bus = new LocalEventBus({ archivePath: layout.archive, deadLetterPath: layout.deadLetters });
    publisher = new LocalEventPublisher(bus);
    receiver = new WebhookReceiver();
    url = await receiver.start();
    output.start();
  });

  afterEach(async () => {
    output.stop();
    await bus.close();
    await receiver.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it("posts a failed build to SHIPLINE_NOTIFY_URL with the commit's message and author from the archive", async () => {
    // Arrange
    const connected = connectLocalNotify({
      bus,
      publisher,
      env: { SHIPLINE_NOTIFY_URL: url },
      timelineUrl: "http://127.0.0.1:4000",
    });

    // Act
    await publisher.publish(olderJourney("https://logs.example.com/demo-build/1"));
    await bus.drain();

    // Assert
    expect(connected).toBe(true);
    expect(receiver.requests).toHaveLength(1);
    const body = slackBody.parse(JSON.parse(receiver.requests[0]?.body ?? ""));
    expect(body.text).toBe(":x: demo build failed at bbbbbbb");
    const blocks = JSON.stringify(body.blocks);
    expect(blocks).toContain("Add &lt;script&gt;alert(1)&lt;/script&gt; to the footer");
    expect(blocks).toContain("Ada Lovelace");
    expect(blocks).toContain("https://logs.example.com/demo-build/1");
    expect(blocks).toContain(`http://127.0.0.1:4000/#demo/${OLDER}`);
  });

  it("connects nothing when no URL is configured", async () => {
    // Act
    const connected = connectLocalNotify({ bus, publisher, env: {} });
    await publisher.publish(olderJourney("https://logs.example.com/demo-build/1"));
    await bus.drain();

    // Assert
    expect(connected).toBe(false);
    expect(bus.listRules().map((rule) => rule.definition.name)).not.toContain("notify-on-terminal-event");
    expect(receiver.requests).toEqual([]);
  });
});
