import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { afterEach, describe, expect, it } from "vitest";
import { FileDocumentStore } from "../../functions/adapters/local/file-document-store.js";
import { LocalEventBus } from "../../functions/adapters/local/local-event-bus.js";
import { LocalEventPublisher } from "../../functions/adapters/local/local-event-publisher.js";
import { LocalImageRegistry } from "../../functions/adapters/local/local-image-registry.js";
import { isManagedBuild } from "../../functions/core/config/build.js";
import { parseConfig } from "../../functions/core/config/parse-config.js";
import type { EventEnvelope } from "../../functions/core/contracts/event-envelope.js";
import { readKnownImage } from "../../functions/core/images/known-image.js";
import { systemClock } from "../../functions/core/ports/clock.js";
import { rulesForStep } from "../../functions/core/topology/rule-topology.js";
import { createImagePushedHandler } from "../../functions/handlers/image-pushed.js";
import type { StepDeps } from "../../functions/handlers/shared/create-step-deps.js";
import { makeStartBuildHandler } from "../../functions/handlers/start-build.js";
import { createWebhookResponder } from "../../functions/handlers/webhook.js";
import { LocalBuilder } from "../../functions/local/builder/local-builder.js";
import { FunctionUrlServer } from "../../functions/local/function-url/function-url-server.js";
import { LocalGitServer } from "../../functions/local/git-server/local-git-server.js";
import { LocalOidcServer } from "../../functions/local/oidc/local-oidc-server.js";
import { type LocalRegistry, startLocalRegistry } from "../../functions/local/registry/local-registry.js";
import { lambdaContext } from "../unit/handlers/shared/step-test-kit.js";
import { git, gitEnvironment, requestRepositoryToken } from "./local/git-server-kit.js";

const DEVELOPER = "arn:aws:iam::000000000000:role/developer";
const BUILDER = "arn:aws:iam::000000000000:role/shipline-builder";
const SECRET = "webhook-secret-for-the-chain";

const CONFIG = `
version: 1
configRepo:
  url: local:demo-config
  credentials: { provider: oidc-exchange, exchangeUrl: local:oidc-exchange, audience: shipline-token-exchange }
clusters: [{ name: local }]
environments: [{ name: staging, cluster: local }]
apps:
  - name: demo
    source: { repo: "local:demo", branch: main }
    image: { repository: demo, tag: "{version}-{sha7}" }
    build:
      commands: { test: npm test }
      version: { from: package-json }
    deploy:
      staging: { kind: helm, file: envs/staging/values.yaml, path: image.tag }
`;

const APP_FILES: Record<string, string> = {
  "package.json": `${JSON.stringify({ name: "demo", version: "0.1.0", private: true, scripts: { test: "node test.js" } }, null, 2)}\n`,
  "server.js":
    "require('node:http').createServer((_, res) => res.end('ok')).listen(process.env.PORT ?? 8080);\n",
  "test.js":
    "const assert = require('node:assert'); assert.strictEqual(1 + 1, 2); console.log('tests passed');\n",
  Dockerfile:
    'FROM node:20-alpine\nWORKDIR /srv\nCOPY package.json server.js ./\nEXPOSE 8080\nCMD ["node", "server.js"]\n',
  ".dockerignore": ".git\n",
};

interface Chain {
  readonly dir: string;
  readonly oidc: LocalOidcServer;
  readonly gitServer: LocalGitServer;
  readonly functionUrl: FunctionUrlServer;
  readonly registry: LocalRegistry;
  readonly bus: LocalEventBus;
  readonly builder: LocalBuilder;
  readonly store: FileDocumentStore;
}

let chain: Chain | undefined;

afterEach(async () => {
  if (!chain) return;
  await chain.builder.stop();
  await chain.gitServer.stop();
  await chain.functionUrl.stop();
  await chain.bus.close();
  await chain.registry.close();
  await chain.oidc.stop();
  await rm(chain.dir, { recursive: true, force: true });
  chain = undefined;
});

function stepDeps(serviceName: string, bus: LocalEventBus): StepDeps {
  return {
    publisher: new LocalEventPublisher(bus),
    logger: new Logger({ serviceName, logLevel: "ERROR" }),
    metrics: new Metrics({ namespace: "ShiplineTest", serviceName }),
    tracer: new Tracer({ serviceName, enabled: false }),
    clock: systemClock,
  };
}

async function repositoryToken(oidc: LocalOidcServer, subject: string, repository: string): Promise<string> {
  const { token } = await oidc.issueWorkloadToken({ subject });
  const { status, body } = await requestRepositoryToken(oidc.tokenEndpoint, token, repository);
  expect(status).toBe(200);
  return String(body.access_token);
}

async function startChain(): Promise<Chain> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "shipline-commit-to-image-"));
  const config = parseConfig(CONFIG, "commit-to-image.yaml");
  const oidc = new LocalOidcServer({
    trustPolicy: [
      { subject: DEVELOPER, repositories: ["demo"], permissions: ["write"] },
      { subject: BUILDER, repositories: ["demo"], permissions: ["read"] },
    ],
  });
  await oidc.start();
  const bus = new LocalEventBus({ baseDelayMs: 10, maxDelayMs: 50 });
  const store = new FileDocumentStore({ directory: path.join(dir, "store") });
  const registry = await startLocalRegistry({
    dataDir: path.join(dir, "registry"),
    immutableTags: true,
    onImagePushed: async (event) => {
      await bus.putServiceEnvelopes([event]);
    },
  });
  const gitServer = new LocalGitServer({
    rootDir: path.join(dir, "git"),
    tokenVerifier: oidc,
    delivery: { maxAttempts: 2, retryDelayMs: 10 },
  });
  await gitServer.start();
  await gitServer.createRepository("demo", { defaultBranch: "main" });
  const builder = new LocalBuilder({
    dataDir: path.join(dir, "builder"),
    projects: (name) => {
      const app = config.apps.find((candidate) => candidate.name === name);
      if (!app || !isManagedBuild(app.build)) return undefined;
      return {
        sourceUrl: gitServer.cloneUrl("demo"),
        build: app.build,
        sourceToken: () => repositoryToken(oidc, BUILDER, "demo"),
      };
    },
    onStateChange: async (event) => {
      await bus.putServiceEnvelopes([event]);
    },
    buildahUsable: async () => false,
  });
  const functionUrl = new FunctionUrlServer({
    handler: createWebhookResponder({
      ...stepDeps("webhook", bus),
      store,
      secrets: { values: async () => [SECRET] },
    }),
  });
  const webhookUrl = await functionUrl.start();
  gitServer.addWebhook({ url: webhookUrl, secret: SECRET });

  const startBuild = makeStartBuildHandler({
    ...stepDeps("start-build", bus),
    config,
    store,
    runner: builder,
    projectNameOf: (app) => app,
    imageRegistry: registry.host,
  });
  const imagePushed = createImagePushedHandler({
    ...stepDeps("image-pushed", bus),
    apps: config.apps,
    registry: new LocalImageRegistry(registry),
    store,
    registryHostOf: () => registry.host,
  });
  const invoke =
    (handler: (event: unknown, context: ReturnType<typeof lambdaContext>) => Promise<unknown>) =>
    async (event: EventEnvelope) => {
      await handler(event, lambdaContext());
    };
  for (const rule of rulesForStep("start-build")) bus.addRule(rule, invoke(startBuild));
  for (const rule of rulesForStep("image-pushed")) bus.addRule(rule, invoke(imagePushed));
  chain = { dir, oidc, gitServer, functionUrl, registry, bus, builder, store };
  return chain;
}

describe("commit to image", () => {
  it("turns a git push into an image in the local registry and Image Pushed with the pushed commit on the bus", async () => {
    // Arrange
    const c = await startChain();
    const home = path.join(c.dir, "home");
    await mkdir(home);
    const env = await gitEnvironment(home);
    const token = await repositoryToken(c.oidc, DEVELOPER, "demo");
    const work = path.join(c.dir, "work");
    expect(
      (await git(["clone", "--quiet", c.gitServer.cloneUrl("demo"), work], { cwd: c.dir, env, token })).code,
    ).toBe(0);
    for (const [name, content] of Object.entries(APP_FILES)) await writeFile(path.join(work, name), content);
    await git(["add", "--all"], { cwd: work, env });
    expect((await git(["commit", "--quiet", "-m", "The demo service"], { cwd: work, env })).code).toBe(0);
    const commit = (await git(["rev-parse", "HEAD"], { cwd: work, env })).stdout.trim();

    // Act
    const pushed = await git(["push", "--quiet", "origin", "main"], { cwd: work, env, token });
    await c.gitServer.idle();
    await c.bus.drain();
    await c.builder.idle();
    await c.bus.drain();

    // Assert
    expect(pushed.code, pushed.stderr).toBe(0);
    const events = (await c.bus.archive.read()).map((record) => record.event);
    const detailOf = (type: string) =>
      events.filter((event) => event["detail-type"] === type).map((event) => event.detail);
    const [commitPushed] = detailOf("Commit Pushed");
    expect(commitPushed).toMatchObject({ commit, refName: "main" });
    expect(detailOf("Build Started")).toEqual([expect.objectContaining({ app: "demo", commit })]);
    const finished = detailOf("CodeBuild Build State Change").at(-1);
    expect(finished).toMatchObject({ "build-status": "SUCCEEDED" });
    const tag = `0.1.0-${commit.slice(0, 7)}`;
    const stored = await c.registry.getManifest("demo", tag);
    expect(stored?.tags).toEqual([tag]);
    const correlationId = String(Object(commitPushed).correlationId);
    expect(detailOf("Image Pushed")).toEqual([
      {
        schemaVersion: 1,
        app: "demo",
        commit,
        correlationId,
        repository: "demo",
        tag,
        digest: stored?.digest,
        imageUri: `${c.registry.host}/demo:${tag}@${stored?.digest}`,
        via: "event",
        commitFrom: "revision-label",
      },
    ]);
    expect(
      await readKnownImage({ store: c.store, repository: "demo", digest: stored?.digest ?? "" }),
    ).toMatchObject({ app: "demo", commit });
    expect(c.bus.deadLetters.list()).toEqual([]);
  });
});
