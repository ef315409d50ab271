import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import { LocalEventBus } from "../../../../functions/adapters/local/local-event-bus.js";
import { LocalEventPublisher } from "../../../../functions/adapters/local/local-event-publisher.js";
import { recordHop } from "../../../../functions/core/ledger/record-hop.js";
import { busLayout } from "../../../../functions/local/bus/bus-layout.js";
import {
  startTimelineServer,
  type TimelineServer,
} from "../../../../functions/local/timeline/timeline-server.js";
import { SOURCE_COMMIT } from "../../core/contracts/detail-examples.js";
import { shiplineAt } from "../../core/ledger/ledger-test-kit.js";
import { APP, NEWER, newerJourneyStart, OLDER, olderJourney, writeBuildLog } from "./timeline-fixture.js";

/** Reads Server-Sent Events from a stream until `count` data frames arrived. */
async function readFrames(response: Response, count: number): Promise<unknown[]> {
  const reader = response.body?.getReader();
  if (reader === undefined) throw new Error("the stream has no body");
  const decoder = new TextDecoder();
  let text = "";
  const frames: unknown[] = [];
  while (frames.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    let end = text.indexOf("\n\n");
    while (end !== -1) {
      const frame = text.slice(0, end);
      text = text.slice(end + 2);
      const data = frame.split("\n").find((line) => line.startsWith("data: "));
      if (data !== undefined) frames.push(JSON.parse(data.slice("data: ".length)));
      end = text.indexOf("\n\n");
    }
  }
  await reader.cancel();
  return frames;
}

describe("startTimelineServer", () => {
  let root: string;
  let dataDir: string;
  let bus: LocalEventBus;
  let publisher: LocalEventPublisher;
  let timeline: TimelineServer | undefined;

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), "shipline-timeline-"));
    dataDir = path.join(root, "data");
    const layout = busLayout(dataDir);
    bus = new LocalEventBus({ archivePath: layout.archive, deadLetterPath: layout.deadLetters });
    publisher = new LocalEventPublisher(bus);
  });

  afterEach(async () => {
    await timeline?.close();
    timeline = undefined;
    await bus.close();
    await rm(root, { recursive: true, force: true });
  });

  it("serves the apps with their recent commits, newest first, from the archive", async () => {
    // Arrange
    const log = await writeBuildLog(dataDir, NEWER);
    await publisher.publish([...olderJourney(log), ...newerJourneyStart(log)]);
    // Right after the newer journey's last event, before any step's deadline.
    timeline = await startTimelineServer({ dataDir, now: () => new Date("2026-03-01T12:13:00Z") });

    // Act
    const apps = await (await fetch(`${timeline.url}/api/apps`)).json();

    // Assert
    expect(apps).toEqual([
      {
        app: APP,
        commits: [
          expect.objectContaining({
            commit: NEWER,
            status: "running",
            subject: "Serve /healthz",
            author: "Ada Lovelace",
            tag: "1.0.1-aaaaaaa",
            durationSeconds: 125,
          }),
          expect.objectContaining({
            commit: OLDER,
            status: "failed",
            reason: "Build Failed: BUILD phase: npm test exited with code 1",
          }),
        ],
      },
    ]);
  });

  it("serves one journey with its steps, and 404 for a journey it does not know", async () => {
    // Arrange
    const log = await writeBuildLog(dataDir, OLDER);
    await publisher.publish(olderJourney(log));
    timeline = await startTimelineServer({ dataDir });

    // Act
    const known = await fetch(`${timeline.url}/api/journeys/${APP}/${OLDER}`);
    const unknown = await fetch(`${timeline.url}/api/journeys/${APP}/${NEWER}`);

    // Assert
    const journey = z
      .object({ steps: z.array(z.object({ detailType: z.string(), state: z.string() }).passthrough()) })
      .parse(await known.json());
    expect(
      journey.steps.map((step: { detailType: string; state: string }) => [step.detailType, step.state]),
    ).toEqual([
      ["Commit Pushed", "succeeded"],
      ["Build Started", "succeeded"],
      ["Build Failed", "failed"],
    ]);
    expect(journey.steps[2]).toMatchObject({
      durationSeconds: 45,
      reason: "BUILD phase: npm test exited with code 1",
    });
    expect(unknown.status).toBe(404);
  });

  it("serves the page with its script and styles inline under a nonce policy", async () => {
    // Arrange
    timeline = await startTimelineServer({ dataDir });

    // Act
    const response = await fetch(timeline.url);
    const html = await response.text();

    // Assert
    const policy = response.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'nonce-([^']+)'/.exec(policy)?.[1];
    expect(nonce).toBeDefined();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/);
  });

  it("serves build logs under the data directory and nothing outside it", async () => {
    // Arrange
    await writeBuildLog(dataDir, NEWER);
    await writeFile(
      path.join(path.dirname(dataDir), `outside-${path.basename(dataDir)}.txt`),
      "secret",
      "utf8",
    );
    timeline = await startTimelineServer({ dataDir });

    // Act
    const log = await fetch(`${timeline.url}/files/builds/aaaaaaa.log`);
    const outside = await fetch(`${timeline.url}/files/..%2Foutside.txt`);

    // Assert
    expect(await log.text()).toContain(`build of ${NEWER}`);
    expect(outside.status).toBe(404);
    expect(await outside.text()).not.toContain("secret");
  });

  it("streams each new event of the bus to the page", async () => {
    // Arrange
    timeline = await startTimelineServer({ dataDir, bus });
    const stream = await fetch(`${timeline.url}/api/stream`);
    const frames = readFrames(stream, 2);

    // Act
    await publisher.publish(newerJourneyStart("https://logs.example.com/1").slice(0, 2));
    await bus.drain();

    // Assert
    expect(await frames).toEqual([
      { detailType: "Commit Pushed", app: null, commit: NEWER },
      { detailType: "Build Started", app: APP, commit: NEWER },
    ]);
  });

  it("tells the page when the archive grows, when it runs without a bus", async () => {
    // Arrange
    timeline = await startTimelineServer({ dataDir, pollMs: 20 });
    const stream = await fetch(`${timeline.url}/api/stream`);
    const frames = readFrames(stream, 1);

    // Act
    await publisher.publish(newerJourneyStart("https://logs.example.com/1").slice(0, 1));

    // Assert
    expect(await frames).toEqual([{ detailType: null }]);
  });

  it("reads the ledger once it has recorded an app", async () => {
    // Arrange
    const store = new FileDocumentStore({ directory: path.join(root, "store") });
    const events = [
      shiplineAt("Commit Pushed", 0),
      shiplineAt("Build Started", 5),
      shiplineAt("Build Succeeded", 122, { durationSeconds: 117 }),
    ];
    for (const event of events) await recordHop({ store, event, productionEnvironments: new Set() });
    timeline = await startTimelineServer({ dataDir, store });

    // Act
    const apps = await (await fetch(`${timeline.url}/api/apps`)).json();
    const journey = z
      .object({
        steps: z.array(z.object({ detailType: z.string(), durationSeconds: z.number() }).passthrough()),
      })
      .parse(await (await fetch(`${timeline.url}/api/journeys/web/${SOURCE_COMMIT}`)).json());

    // Assert
    expect(apps).toEqual([
      { app: "web", commits: [expect.objectContaining({ commit: SOURCE_COMMIT, tag: "1.4.0-f485fcc" })] },
    ]);
    expect(journey.steps.map((step) => [step.detailType, step.durationSeconds])).toEqual([
      ["Commit Pushed", 0],
      ["Build Started", 5],
      ["Build Succeeded", 117],
    ]);
  });
});
