import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import * as z from "zod";
import { LocalGitServer } from "../../../functions/local/git-server/local-git-server.js";
import { LocalOidcServer } from "../../../functions/local/oidc/local-oidc-server.js";
import { git, gitEnvironment, requestRepositoryToken, startWebhookReceiver } from "./git-server-kit.js";

/** Subject the trust policy lets write to `pr-*` and `team/*`. */
export const WRITER = "arn:aws:iam::000000000000:role/shipline-config-writer";
/** Subject the trust policy lets read `pr-*`. */
export const READER = "arn:aws:iam::000000000000:role/shipline-reader";

/** One git server shared by the tests of a file, with its token issuer and webhook receiver. */
export interface PullRequestWorld {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly oidc: LocalOidcServer;
  readonly server: LocalGitServer;
  readonly receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  /** Where the bare repositories live (to start a second server on them). */
  readonly rootDir: string;
}

/** A repository with `main` and some branches pushed, and a work tree of it. */
export interface SeededRepository {
  readonly name: string;
  readonly token: string;
  readonly work: string;
  /** The first commit of `main`, every branch's parent. */
  readonly start: string;
  /** The head of `main` as pushed. */
  readonly main: string;
  /** The head of each branch. */
  readonly heads: Readonly<Record<string, string>>;
}

/** What {@link seedRepository} pushes besides the first commit (`deploy.yaml`) of `main`. */
export interface SeedOptions {
  /** Branches made from the first commit, each with one commit writing these files. */
  readonly branches?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Files of a second commit on `main`, made after the branches. */
  readonly mainAfter?: Readonly<Record<string, string>>;
}

/** Starts a token issuer, a webhook receiver and a git server in a new temporary folder. */
export async function startWorld(): Promise<PullRequestWorld> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "shipline-pulls-test-"));
  const oidc = new LocalOidcServer({
    trustPolicy: [
      { subject: WRITER, repositories: ["pr-*", "team/*"], permissions: ["write"] },
      { subject: READER, repositories: ["pr-*"], permissions: ["read"] },
    ],
  });
  await oidc.start();
  const receiver = await startWebhookReceiver();
  const rootDir = path.join(dir, "repositories");
  const server = new LocalGitServer({
    rootDir,
    tokenVerifier: oidc,
    webhooks: [{ url: receiver.url, secret: "pull-request-test-secret" }],
    delivery: { maxAttempts: 3, retryDelayMs: 10 },
  });
  await server.start();
  const home = path.join(dir, "home");
  await mkdir(home);
  return { dir, env: await gitEnvironment(home), oidc, server, receiver, rootDir };
}

/** Stops everything {@link startWorld} started and removes its folder. */
export async function stopWorld(world: PullRequestWorld): Promise<void> {
  await world.server.stop();
  await world.oidc.stop();
  await world.receiver.stop();
  await rm(world.dir, { recursive: true, force: true });
}

/** A repository token from the real token exchange. */
export async function tokenFor(
  world: PullRequestWorld,
  subject: string,
  repository: string,
  scope?: string,
): Promise<string> {
  const { token } = await world.oidc.issueWorkloadToken({ subject });
  const { status, body } = await requestRepositoryToken(world.oidc.tokenEndpoint, token, repository, scope);
  expect(status).toBe(200);
  return String(body.access_token);
}

/** Runs git in `cwd` and fails the test when it fails. */
export async function gitOk(
  world: PullRequestWorld,
  cwd: string,
  args: readonly string[],
  token?: string,
): Promise<string> {
  const run = await git(args, { cwd, env: world.env, ...(token === undefined ? {} : { token }) });
  expect(run.code, `git ${args.join(" ")}: ${run.stderr}`).toBe(0);
  return run.stdout.trim();
}

/** Creates a repository and pushes `main` and the branches asked for, in one push. */
export async function seedRepository(
  world: PullRequestWorld,
  name: string,
  options: SeedOptions = {},
): Promise<SeededRepository> {
  await world.server.createRepository(name, { defaultBranch: "main" });
  const token = await tokenFor(world, WRITER, name);
  const work = path.join(world.dir, "work", name);
  await mkdir(work, { recursive: true });
  await gitOk(world, work, ["init", "--quiet", "--initial-branch=main"]);
  await gitOk(world, work, ["remote", "add", "origin", world.server.cloneUrl(name)]);
  const start = await commit(world, work, { "deploy.yaml": "image: demo:v1\n" }, "Start");
  const heads: Record<string, string> = {};
  for (const [branch, files] of Object.entries(options.branches ?? {})) {
    await gitOk(world, work, ["checkout", "--quiet", "-b", branch, start]);
    heads[branch] = await commit(world, work, files, `Change ${Object.keys(files).join(", ")} on ${branch}`);
  }
  await gitOk(world, work, ["checkout", "--quiet", "main"]);
  const main =
    options.mainAfter === undefined ? start : await commit(world, work, options.mainAfter, "Change main");
  await gitOk(world, work, ["push", "--quiet", "origin", "main", ...Object.keys(heads)], token);
  return { name, token, work, start, main, heads };
}

/** Writes files in a clone and commits them on the current branch; answers the commit id. */
export async function commit(
  world: PullRequestWorld,
  work: string,
  files: Readonly<Record<string, string>>,
  message: string,
): Promise<string> {
  for (const [file, content] of Object.entries(files)) await writeFile(path.join(work, file), content);
  await gitOk(world, work, ["add", "--all"]);
  await gitOk(world, work, ["commit", "--quiet", "-m", message]);
  return gitOk(world, work, ["rev-parse", "HEAD"]);
}

/** An answer of the pull request API. */
export interface ApiAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** Calls the pull request API with a Bearer token (or the given `Authorization` header). */
export async function callApi(
  world: PullRequestWorld,
  method: string,
  pathAndQuery: string,
  options: { token?: string; authorization?: string; body?: unknown; rawBody?: string } = {},
): Promise<ApiAnswer> {
  const authorization =
    options.authorization ?? (options.token === undefined ? undefined : `Bearer ${options.token}`);
  const payload = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${world.server.apiUrl}${pathAndQuery}`, {
    method,
    headers: {
      accept: "application/vnd.github+json",
      ...(authorization === undefined ? {} : { authorization }),
      ...(payload === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(payload === undefined ? {} : { body: payload }),
  });
  const text = await response.text();
  return { status: response.status, body: text === "" ? undefined : JSON.parse(text) };
}

/** The JSON push payloads the receiver got for `ref` moving to `after`. */
export function pushPayloadsFor(world: PullRequestWorld, ref: string, after: string): unknown[] {
  return world.receiver.received
    .map((request) => JSON.parse(request.body.toString("utf8")))
    .filter((payload) => payload.ref === ref && payload.after === after);
}

/** The `sha` of a merge answer. */
export function shaOf(answer: ApiAnswer): string {
  return z.object({ sha: z.string() }).parse(answer.body).sha;
}
