import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { LocalEventBus } from "../../../functions/adapters/local/local-event-bus.js";
import { LocalEventPublisher } from "../../../functions/adapters/local/local-event-publisher.js";
import { busLayout } from "../../../functions/local/bus/bus-layout.js";
import { STATE_COLOURS } from "../../../functions/local/timeline/timeline-page.js";
import {
  startTimelineServer,
  type TimelineServer,
} from "../../../functions/local/timeline/timeline-server.js";
import {
  APP,
  NEWER,
  newerJourneyEnd,
  newerJourneyStart,
  OLDER,
  olderJourney,
  writeBuildLog,
} from "../../unit/local/timeline/timeline-fixture.js";
import { chromiumAt, describeWithTool } from "./optional-tool.js";

// What the page functions below use of the browser (the project compiles without the DOM library).
declare const window: object;
declare function getComputedStyle(element: unknown): { readonly backgroundColor: string };

/** Debian's Chromium, which `.ci/run` installs (`apt-get install -y --no-install-recommends chromium`). */
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_TOOL = chromiumAt(CHROMIUM);

const SCREENSHOT = path.join(tmpdir(), "shipline-timeline.png");

describeWithTool(CHROMIUM_TOOL, "the timeline page in headless Chromium", () => {
  let browser: Browser;
  let dataDir: string;
  let bus: LocalEventBus;
  let publisher: LocalEventPublisher;
  let timeline: TimelineServer;
  let page: Page;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), "shipline-timeline-"));
    const layout = busLayout(dataDir);
    bus = new LocalEventBus({ archivePath: layout.archive, deadLetterPath: layout.deadLetters });
    publisher = new LocalEventPublisher(bus);
    timeline = await startTimelineServer({
      dataDir,
      bus,
      configRepoUrl: "https://github.com/acme/deploy.git",
      // The fixture's journeys happened on 2026-03-01: judge them right after, not months later.
      now: () => new Date("2026-03-01T12:13:00Z"),
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  });

  afterEach(async () => {
    await page?.close();
    await timeline?.close();
    await bus?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function dotColour(commit: string, detailType: string): Promise<string> {
    return page
      .locator(`li.commit[data-commit="${commit}"] li.step[data-detail-type="${detailType}"] .dot`)
      .evaluate((dot) => getComputedStyle(dot).backgroundColor);
  }

  it("lists the app's commits with their states and durations, and follows new events without a reload", async () => {
    // Arrange
    const olderLog = await writeBuildLog(dataDir, OLDER);
    const newerLog = await writeBuildLog(dataDir, NEWER);
    await publisher.publish([...olderJourney(olderLog), ...newerJourneyStart(newerLog)]);
    await bus.drain();

    // Act
    await page.goto(timeline.url);
    await page.waitForSelector(`li.commit[data-commit="${NEWER}"] li.step[data-detail-type="Image Pushed"]`);

    // Assert: the app, both commits newest first, how each stands
    await page.waitForSelector("#live.on");
    expect(await page.locator(`section.app[data-app="${APP}"] h2`).textContent()).toBe(APP);
    expect(
      await page
        .locator("li.commit")
        .evaluateAll((items) => items.map((item) => item.getAttribute("data-commit"))),
    ).toEqual([NEWER, OLDER]);
    const newer = page.locator(`li.commit[data-commit="${NEWER}"]`);
    expect(await newer.getAttribute("data-status")).toBe("running");
    expect(await newer.locator(".subject").textContent()).toBe("Serve /healthz");
    expect(await newer.locator(".meta").textContent()).toContain("Ada Lovelace · 1.0.1-aaaaaaa · 2m 5s");
    const olderBadge = page.locator(`li.commit[data-commit="${OLDER}"] .badge`);
    expect(await olderBadge.textContent()).toBe("failed");
    expect(await olderBadge.evaluate((badge) => getComputedStyle(badge).backgroundColor)).toBe(
      STATE_COLOURS.failed,
    );

    // Assert: the newest commit's timeline, coloured by state, with durations and its build log
    const steps = newer.locator("li.step");
    expect(
      await steps.evaluateAll((items) =>
        items.map((item) => [item.getAttribute("data-detail-type"), item.getAttribute("data-state")]),
      ),
    ).toEqual([
      ["Commit Pushed", "succeeded"],
      ["Build Started", "succeeded"],
      ["Build Succeeded", "succeeded"],
      ["Image Pushed", "running"],
    ]);
    expect(await dotColour(NEWER, "Build Succeeded")).toBe(STATE_COLOURS.succeeded);
    expect(await dotColour(NEWER, "Image Pushed")).toBe(STATE_COLOURS.running);
    const built = newer.locator('li.step[data-detail-type="Build Succeeded"]');
    expect(await built.locator(".when").textContent()).toBe("+2m 2s · took 1m 57s");
    const logHref = await built.locator("a.link").getAttribute("href");
    expect(logHref).toBe(`${timeline.url}/files/builds/aaaaaaa.log`);
    const log = await page.evaluate(async (url) => (await fetch(url)).text(), logHref ?? "");
    expect(log).toContain(`build of ${NEWER}`);

    // Act: the older commit is opened; the chain moves on for the newer one
    await page.evaluate(() => {
      Object.assign(window, { notReloaded: true });
    });
    await page.locator(`li.commit[data-commit="${OLDER}"] summary`).click();
    await page.waitForSelector(`li.commit[data-commit="${OLDER}"] li.step[data-detail-type="Build Failed"]`);
    await publisher.publish(newerJourneyEnd());
    await bus.drain();
    await page.waitForSelector(
      `li.commit[data-commit="${NEWER}"][data-status="deployed"] li.step[data-detail-type="Deployment Verified"]`,
    );

    // Assert: the older commit's failure and its reason, in red
    expect(await dotColour(OLDER, "Build Failed")).toBe(STATE_COLOURS.failed);
    const failed = page.locator(`li.commit[data-commit="${OLDER}"] li.step[data-detail-type="Build Failed"]`);
    expect(await failed.locator(".why").textContent()).toBe("BUILD phase: npm test exited with code 1");
    expect(await page.locator(`li.commit[data-commit="${OLDER}"] .subject`).textContent()).toBe(
      "Add <script>alert(1)</script> to the footer",
    );

    // Assert: the newer commit updated in place, deployed, with the config commit linked
    expect(await page.evaluate(() => "notReloaded" in window)).toBe(true);
    expect(await dotColour(NEWER, "Image Pushed")).toBe(STATE_COLOURS.succeeded);
    expect(await dotColour(NEWER, "Deployment Verified")).toBe(STATE_COLOURS.succeeded);
    const verified = newer.locator('li.step[data-detail-type="Deployment Verified"]');
    expect(await verified.locator(".when").textContent()).toBe("+2m 56s · took 30s · staging");
    expect(await verified.locator("a.link").getAttribute("href")).toBe(
      `https://github.com/acme/deploy/commit/${"c".repeat(40)}`,
    );
    expect(await newer.locator(".reason").textContent()).toBe("verified in staging");
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  });
});
