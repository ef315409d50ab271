import * as fs from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { LocalGitServer } from "../../../functions/local/git-server/local-git-server.js";
import { LocalOidcServer } from "../../../functions/local/oidc/local-oidc-server.js";
import { git, gitEnvironment, requestRepositoryToken, startWebhookReceiver } from "./git-server-kit.js";

/** Subject the trust policy lets write to `app` and `config`. */
export const WRITER = "arn:aws:iam::000000000000:role/shipline-config-writer";
/** Subject the trust policy lets read `app`. */
export const READER = "arn:aws:iam::000000000000:role/shipline-reader";
/** Secret of the test webhook. */
export const SECRET = "webhook-secret-for-tests";
/** The null object id. */
export const ZERO = "0".repeat(40);

/** Servers and folders of one integration test. */
export interface Harness {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly oidc: LocalOidcServer;
  readonly server: LocalGitServer;
  readonly receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  readonly clock: { current: Date | undefined };
}

/** Starts an OIDC server, a webhook receiver and a git server that trusts the OIDC server. */
export async function startHarness(
  options: { anonymousRead?: boolean; receiverFailures?: number } = {},
): Promise<Harness> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "shipline-git-test-"));
  const clock = { current: undefined as Date | undefined };
  const oidc = new LocalOidcServer({
    trustPolicy: [
      {
        subject: "arn:aws:iam::*:role/shipline-config-writer",
        repositories: ["app", "config"],
        permissions: ["write"],
      },
      { subject: READER, repositories: ["app"], permissions: ["read"] },
    ],
    clock: { now: () => clock.current ?? new Date() },
  });
  await oidc.start();
  const receiver = await startWebhookReceiver(options.receiverFailures ?? 0);
  const server = new LocalGitServer({
    rootDir: path.join(dir, "repositories"),
    tokenVerifier: oidc,
    anonymousRead: options.anonymousRead ?? false,
    webhooks: [{ url: receiver.url, secret: SECRET }],
    delivery: { maxAttempts: 3, retryDelayMs: 10 },
  });
  await server.start();
  const home = path.join(dir, "home");
  fs.mkdirSync(home);
  return { dir, env: await gitEnvironment(home), oidc, server, receiver, clock };
}

/** Gets a repository token through the real token endpoint. */
export async function tokenFor(
  h: Harness,
  subject: string,
  repository: string,
  scope?: string,
): Promise<string> {
  const { token } = await h.oidc.issueWorkloadToken({ subject });
  const { status, body } = await requestRepositoryToken(h.oidc.tokenEndpoint, token, repository, scope);
  expect(status).toBe(200);
  return String(body.access_token);
}

/** Writes (or, for null, deletes) files, commits them and returns the commit id. */
export async function commitFiles(
  h: Harness,
  work: string,
  files: Record<string, string | null>,
  message: string,
) {
  for (const [name, content] of Object.entries(files)) {
    if (content === null) await rm(path.join(work, name));
    else await writeFile(path.join(work, name), content);
  }
  await git(["add", "--all"], { cwd: work, env: h.env });
  const committed = await git(["commit", "--quiet", "-m", message], { cwd: work, env: h.env });
  expect(committed.code).toBe(0);
  return (await git(["rev-parse", "HEAD"], { cwd: work, env: h.env })).stdout.trim();
}

/** Clones a repository with the git CLI into `<dir>/<into>`. */
export async function cloneWithToken(
  h: Harness,
  repository: string,
  token: string,
  into = "work",
): Promise<string> {
  const work = path.join(h.dir, into);
  const cloned = await git(["clone", "--quiet", h.server.cloneUrl(repository), work], {
    cwd: h.dir,
    env: h.env,
    token,
  });
  expect(cloned.code, cloned.stderr).toBe(0);
  return work;
}

/** The JSON bodies the webhook receiver got, in order. */
export function payloads(h: Harness): Record<string, unknown>[] {
  return h.receiver.received.map((request) => JSON.parse(request.body.toString("utf8")));
}

/** Stops everything {@link startHarness} started and removes its folder. */
export async function stopHarness(harness: Harness): Promise<void> {
  await harness.server.stop();
  await harness.oidc.stop();
  await harness.receiver.stop();
  await rm(harness.dir, { recursive: true, force: true });
}

/**
 * The payload of the push that moved `ref` to `after`. Deliveries run concurrently, as GitHub's
 * do, so their order of arrival says nothing.
 */
export function payloadFor(
  harness: Harness,
  ref: string,
  after: string,
): Record<string, unknown> | undefined {
  return payloads(harness).find((payload) => payload.ref === ref && payload.after === after);
}
