import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { LocalEventBus } from "../../../functions/adapters/local/local-event-bus.js";
import { LocalEventPublisher } from "../../../functions/adapters/local/local-event-publisher.js";
import type { PublishRequest } from "../../../functions/core/ports/event-publisher.js";
import { connectLocalNotify } from "../../../functions/handlers/notify-local.js";
import { busLayout } from "../../../functions/local/bus/bus-layout.js";
import { WebhookReceiver } from "../adapters/http/webhook-receiver.js";
import { DETAIL_EXAMPLES, IMAGE_DIGEST } from "../core/contracts/detail-examples.js";
import { at, OLDER, olderJourney } from "../local/timeline/timeline-fixture.js";
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

  it("tells reviewers of an opened pull request and of a new image in it, but not of the same image again", async () => {
    // Arrange
    connectLocalNotify({ bus, publisher, env: { SHIPLINE_NOTIFY_URL: url } });
    const example = DETAIL_EXAMPLES["Pull Request Opened"];
    const newer = {
      commit: "e".repeat(40),
      digest: `sha256:${"e".repeat(64)}`,
      intentId: "web-production-eeeeeee",
    };
    const pullRequestEvents: PublishRequest[] = [
      { detailType: "Pull Request Opened", time: at(0), detail: example },
      { detailType: "Pull Request Opened", time: at(60), detail: { ...example, updated: true } },
      { detailType: "Pull Request Opened", time: at(120), detail: { ...example, ...newer, updated: true } },
    ];

    // Act
    for (const event of pullRequestEvents) {
      await publisher.publish([event]);
      await bus.drain();
    }

    // Assert
    const texts = receiver.requests.map((request) => slackBody.parse(JSON.parse(request.body)).text);
    expect(texts).toEqual([
      ":eyes: web f485fcc waits for review in production",
      ":eyes: web pull request #42 now proposes eeeeeee for production",
    ]);
    expect(receiver.requests[0]?.body).toContain(IMAGE_DIGEST);
    expect(receiver.requests[1]?.body).toContain(newer.digest);
    expect(receiver.requests[1]?.body).toContain("https://github.com/acme/deploy/pull/42");
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
