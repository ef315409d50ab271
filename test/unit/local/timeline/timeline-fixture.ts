import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { PublishRequest } from "../../../../functions/core/ports/event-publisher.js";

/** The app of every fixture journey. */
export const APP = "demo";

/** A commit whose journey got as far as an image push. */
export const NEWER = "a".repeat(40);

/** An older commit whose build failed. */
export const OLDER = "b".repeat(40);

const DIGEST = `sha256:${"d".repeat(64)}`;
const CONFIG_COMMIT = "c".repeat(40);
const START = Date.parse("2026-03-01T12:00:00Z");

/** A time `seconds` after the fixture's start. */
export function at(seconds: number): Date {
  return new Date(START + seconds * 1000);
}

function pushed(commit: string, message: string, seconds: number): PublishRequest {
  return {
    detailType: "Commit Pushed",
    time: at(seconds),
    detail: {
      app: null,
      commit,
      correlationId: `push-${commit.slice(0, 4)}`,
      provider: "github",
      repository: { name: APP, fullName: `acme/${APP}`, url: `https://github.com/acme/${APP}.git` },
      ref: "refs/heads/main",
      refType: "branch",
      refName: "main",
      before: "0".repeat(40),
      after: commit,
      commits: [{ id: commit, message, author: { name: "Ada Lovelace", email: "ada@example.com" } }],
      pusher: { name: "ada" },
      deliveryId: `delivery-${commit.slice(0, 4)}`,
    },
  };
}

function base(commit: string) {
  return { app: APP, commit, correlationId: `push-${commit.slice(0, 4)}` };
}

/** Writes a build log under the data directory and gives its `file:` URL, as the local builder does. */
export async function writeBuildLog(dataDir: string, commit: string): Promise<string> {
  const file = path.join(dataDir, "builds", `${commit.slice(0, 7)}.log`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `build of ${commit}\nnpm test\n`, "utf8");
  return pathToFileURL(file).href;
}

/** The older commit: pushed, built, failed (its test step). */
export function olderJourney(logsUrl: string): PublishRequest[] {
  return [
    pushed(OLDER, "Add <script>alert(1)</script> to the footer", 0),
    {
      detailType: "Build Started",
      time: at(3),
      detail: {
        ...base(OLDER),
        buildId: "demo-build:1",
        projectName: "demo-build",
        imageRepository: "127.0.0.1:5000/demo",
        imageTag: "1.0.0-bbbbbbb",
        deliveryId: "delivery-bbbb",
        logsUrl,
      },
    },
    {
      detailType: "Build Failed",
      time: at(48),
      detail: {
        ...base(OLDER),
        buildId: "demo-build:1",
        projectName: "demo-build",
        status: "FAILED",
        failedPhase: "BUILD",
        reason: "npm test exited with code 1",
        durationSeconds: 45,
        logsUrl,
      },
    },
  ];
}

/** The newer commit up to its image push: the scan is still under way. */
export function newerJourneyStart(logsUrl: string): PublishRequest[] {
  return [
    pushed(NEWER, "Serve /healthz\n\nFor the readiness probe.", 600),
    {
      detailType: "Build Started",
      time: at(605),
      detail: {
        ...base(NEWER),
        buildId: "demo-build:2",
        projectName: "demo-build",
        imageRepository: "127.0.0.1:5000/demo",
        imageTag: "1.0.1-aaaaaaa",
        deliveryId: "delivery-aaaa",
        logsUrl,
      },
    },
    {
      detailType: "Build Succeeded",
      time: at(722),
      detail: {
        ...base(NEWER),
        buildId: "demo-build:2",
        projectName: "demo-build",
        imageTag: "1.0.1-aaaaaaa",
        durationSeconds: 117,
        logsUrl,
      },
    },
    {
      detailType: "Image Pushed",
      time: at(725),
      detail: {
        ...base(NEWER),
        repository: "demo",
        tag: "1.0.1-aaaaaaa",
        digest: DIGEST,
        commitFrom: "revision-label",
      },
    },
  ];
}

/** The rest of the newer commit's journey: approved, committed, synced and verified in staging. */
export function newerJourneyEnd(): PublishRequest[] {
  return [
    {
      detailType: "Image Approved",
      time: at(740),
      detail: {
        ...base(NEWER),
        repository: "demo",
        tag: "1.0.1-aaaaaaa",
        digest: DIGEST,
        scanner: "local",
        counts: {},
        reason: "no finding at or above HIGH",
      },
    },
    {
      detailType: "Config Committed",
      time: at(745),
      detail: {
        ...base(NEWER),
        environment: "staging",
        configRepo: "https://github.com/acme/deploy.git",
        branch: "main",
        configCommit: CONFIG_COMMIT,
        files: ["envs/staging/values.yaml"],
        tag: "1.0.1-aaaaaaa",
        digest: DIGEST,
        intentId: "demo-staging-aaaaaaa",
      },
    },
    {
      detailType: "Sync Requested",
      time: at(746),
      detail: {
        ...base(NEWER),
        environment: "staging",
        cluster: "local",
        application: "demo-staging",
        revision: CONFIG_COMMIT,
        deadline: at(1346).toISOString(),
      },
    },
    {
      detailType: "Deployment Verified",
      time: at(776),
      detail: {
        ...base(NEWER),
        environment: "staging",
        cluster: "local",
        application: "demo-staging",
        revision: CONFIG_COMMIT,
        syncStatus: "Synced",
        health: "Healthy",
        durationSeconds: 30,
      },
    },
  ];
}
