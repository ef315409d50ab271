import { createHmac, timingSafeEqual } from "node:crypto";
import * as fs from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import * as isogit from "isomorphic-git";
import http from "isomorphic-git/http/node";
import { afterEach, describe, expect, it } from "vitest";
import { LocalGitServer } from "../../../functions/local/git-server/local-git-server.js";
import { LocalOidcServer } from "../../../functions/local/oidc/local-oidc-server.js";
import { git, gitEnvironment, requestRepositoryToken, startWebhookReceiver } from "./git-server-kit.js";

const WRITER = "arn:aws:iam::000000000000:role/shipline-config-writer";
const READER = "arn:aws:iam::000000000000:role/shipline-reader";
const SECRET = "webhook-secret-for-tests";
const ZERO = "0".repeat(40);
const GITHUB_PUSH = path.resolve(
  import.meta.dirname,
  "../../../../shared/fixtures/webhooks/github-push.branch-update.go-playground.json",
);

interface Harness {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly oidc: LocalOidcServer;
  readonly server: LocalGitServer;
  readonly receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  readonly clock: { current: Date | undefined };
}

let harness: Harness | undefined;

async function startHarness(
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
  harness = { dir, env: await gitEnvironment(home), oidc, server, receiver, clock };
  return harness;
}

async function tokenFor(h: Harness, subject: string, repository: string, scope?: string): Promise<string> {
  const { token } = await h.oidc.issueWorkloadToken({ subject });
  const { status, body } = await requestRepositoryToken(h.oidc.tokenEndpoint, token, repository, scope);
  expect(status).toBe(200);
  return String(body.access_token);
}

async function commitFiles(h: Harness, work: string, files: Record<string, string | null>, message: string) {
  for (const [name, content] of Object.entries(files)) {
    if (content === null) await rm(path.join(work, name));
    else await writeFile(path.join(work, name), content);
  }
  await git(["add", "--all"], { cwd: work, env: h.env });
  const committed = await git(["commit", "--quiet", "-m", message], { cwd: work, env: h.env });
  expect(committed.code).toBe(0);
  return (await git(["rev-parse", "HEAD"], { cwd: work, env: h.env })).stdout.trim();
}

async function cloneWithToken(h: Harness, repository: string, token: string, into = "work"): Promise<string> {
  const work = path.join(h.dir, into);
  const cloned = await git(["clone", "--quiet", h.server.cloneUrl(repository), work], {
    cwd: h.dir,
    env: h.env,
    token,
  });
  expect(cloned.code, cloned.stderr).toBe(0);
  return work;
}

function payloads(h: Harness): Record<string, unknown>[] {
  return h.receiver.received.map((request) => JSON.parse(request.body.toString("utf8")));
}

afterEach(async () => {
  if (!harness) return;
  await harness.server.stop();
  await harness.oidc.stop();
  await harness.receiver.stop();
  await rm(harness.dir, { recursive: true, force: true });
  harness = undefined;
});

describe("LocalGitServer with the git CLI", () => {
  it("lets a push with an exchanged token through and sends a signed GitHub push webhook", async () => {
    // Arrange
    const h = await startHarness();
    await h.server.createRepository("app", { defaultBranch: "main" });
    const token = await tokenFor(h, WRITER, "app");
    const work = await cloneWithToken(h, "app", token);
    const sha = await commitFiles(h, work, { "README.md": "# app\n", "app.txt": "v1\n" }, "Add the app");

    // Act
    const pushed = await git(["push", "--quiet", "origin", "main"], { cwd: work, env: h.env, token });
    await h.server.idle();

    // Assert
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(`${pushed.stdout}${pushed.stderr}`).not.toContain(token);
    const [request] = h.receiver.received;
    expect(h.receiver.received).toHaveLength(1);
    const expected = `sha256=${createHmac("sha256", SECRET).update(request!.body).digest("hex")}`;
    const signature = String(request!.headers["x-hub-signature-256"]);
    expect(timingSafeEqual(Buffer.from(signature), Buffer.from(expected))).toBe(true);
    expect(request!.headers["x-github-event"]).toBe("push");
    expect(String(request!.headers["x-github-delivery"])).toMatch(/^[0-9a-f-]{36}$/);
    expect(String(request!.headers["user-agent"])).toMatch(/^GitHub-Hookshot\//);
    expect(request!.headers["content-type"]).toBe("application/json");
    expect(payloads(h)[0]).toMatchObject({
      ref: "refs/heads/main",
      before: ZERO,
      after: sha,
      created: true,
      deleted: false,
      forced: false,
      repository: {
        name: "app",
        full_name: "app",
        clone_url: h.server.cloneUrl("app"),
        default_branch: "main",
      },
      pusher: { name: WRITER },
      head_commit: {
        id: sha,
        message: "Add the app",
        author: { name: "Test Author", email: "author@example.test" },
      },
      commits: [{ id: sha, added: ["README.md", "app.txt"], modified: [], removed: [] }],
    });
  });

  it("sends a payload with every field of a real GitHub push payload", async () => {
    // Arrange
    const github = JSON.parse(await readFile(GITHUB_PUSH, "utf8"));
    const h = await startHarness();
    await h.server.createRepository("app");
    const token = await tokenFor(h, WRITER, "app");
    const work = await cloneWithToken(h, "app", token);
    await commitFiles(h, work, { "a.txt": "a\n" }, "First");

    // Act
    await git(["push", "--quiet", "origin", "main"], { cwd: work, env: h.env, token });
    await h.server.idle();

    // Assert
    const [payload] = payloads(h);
    const commitKeys = Object.keys(github.commits[0]).filter(
      (key) => key !== "author" && key !== "committer",
    );
    expect(Object.keys(payload ?? {}).sort()).toEqual(Object.keys(github).sort());
    expect(Object.keys(payload?.head_commit ?? {})).toEqual(expect.arrayContaining(commitKeys));
    expect(Object.keys(payload?.pusher ?? {}).sort()).toEqual(Object.keys(github.pusher).sort());
    const repositoryKeys = [
      "id",
      "node_id",
      "name",
      "full_name",
      "private",
      "owner",
      "html_url",
      "clone_url",
    ];
    expect(Object.keys(payload?.repository ?? {})).toEqual(
      expect.arrayContaining([...repositoryKeys, "default_branch"]),
    );
    expect(payload).toMatchObject({
      head_commit: { timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/) },
    });
  });

  it("fetches what was pushed into another clone", async () => {
    // Arrange
    const h = await startHarness();
    await h.server.createRepository("app");
    const token = await tokenFor(h, WRITER, "app");
    const first = await cloneWithToken(h, "app", token, "first");
    const second = await cloneWithToken(h, "app", token, "second");
    const sha = await commitFiles(h, first, { "a.txt": "a\n" }, "First");
    expect((await git(["push", "--quiet", "origin", "main"], { cwd: first, env: h.env, token })).code).toBe(
      0,
    );

    // Act
    const fetched = await git(["fetch", "--quiet", "origin"], { cwd: second, env: h.env, token });

    // Assert
    expect(fetched.code, fetched.stderr).toBe(0);
    const remoteHead = await git(["rev-parse", "origin/main"], { cwd: second, env: h.env });
    expect(remoteHead.stdout.trim()).toBe(sha);
  });

  it("reports modified and removed paths, then a forced push", async () => {
    // Arrange
    const h = await startHarness();
    await h.server.createRepository("app");
    const token = await tokenFor(h, WRITER, "app");
    const work = await cloneWithToken(h, "app", token);
    const first = await commitFiles(h, work, { "a.txt": "a\n", "b.txt": "b\n" }, "First");
    await git(["push", "--quiet", "origin", "main"], { cwd: work, env: h.env, token });
    const second = await commitFiles(h, work, { "a.txt": "a2\n", "b.txt": null, "c.txt": "c\n" }, "Second");

    // Act
    await git(["push", "--quiet", "origin", "main"], { cwd: work, env: h.env, token });
    await git(["reset", "--quiet", "--hard", first], { cwd: work, env: h.env });
    const rewritten = await commitFiles(h, work, { "d.txt": "d\n" }, "Rewritten");
    const forcedPush = await git(["push", "--quiet", "--force", "origin", "main"], {
      cwd: work,
      env: h.env,
      token,
    });
    await h.server.idle();

    // Assert
    expect(forcedPush.code, forcedPush.stderr).toBe(0);
    const [, update, forced] = payloads(h);
    expect(update).toMatchObject({
      before: first,
      after: second,
      created: false,
      forced: false,
      commits: [{ id: second, added: ["c.txt"], modified: ["a.txt"], removed: ["b.txt"] }],
    });
    expect(forced).toMatchObject({
      before: second,
      after: rewritten,
      created: false,
      forced: true,
      commits: [{ id: rewritten, added: ["d.txt"], modified: [], removed: [] }],
    });
  });

  it("sends one webhook per ref when a push updates several refs", async () => {
    // Arrange
    const h = await startHarness();
    await h.server.createRepository("app");
    const token = await tokenFor(h, WRITER, "app");
    const work = await cloneWithToken(h, "app", token);
    await commitFiles(h, work, { "a.txt": "a\n" }, "First");
    await git(["branch", "feature"], { cwd: work, env: h.env });
    await git(["tag", "-a", "v1.0.0", "-m", "Release"], { cwd: work, env: h.env });

    // Act
    const pushed = await git(["push", "--quiet", "origin", "main", "feature", "v1.0.0"], {
      cwd: work,
      env: h.env,
      token,
    });
    await h.server.idle();

    // Assert
    expect(pushed.code, pushed.stderr).toBe(0);
    const refs = payloads(h).map((payload) => payload.ref);
    expect(refs.sort()).toEqual(["refs/heads/feature", "refs/heads/main", "refs/tags/v1.0.0"]);
    const ids = new Set(h.receiver.received.map((request) => request.headers["x-github-delivery"]));
    expect(ids.size).toBe(3);
  });

  it("reports a deleted branch", async () => {
    // Arrange
    const h = await startHarness();
    await h.server.createRepository("app");
    const token = await tokenFor(h, WRITER, "app");
    const work = await cloneWithToken(h, "app", token);
    const sha = await commitFiles(h, work, { "a.txt": "a\n" }, "First");
    await git(["push", "--quiet", "origin", "main", "main:feature"], { cwd: work, env: h.env, token });

    // Act
    const deleted = await git(["push", "--quiet", "origin", "--delete", "feature"], {
      cwd: work,
      env: h.env,
      token,
    });
    await h.server.idle();

    // Assert
    expect(deleted.code, deleted.stderr).toBe(0);
    expect(payloads(h).at(-1)).toMatchObject({
      ref: "refs/heads/feature",
      before: sha,
      after: ZERO,
      created: false,
      deleted: true,
      commits: [],
      head_commit: null,
    });
  });
});

describe("LocalGitServer with isomorphic-git", () => {
  it("clones and pushes with onAuth", async () => {
    // Arrange
    const h = await startHarness();
    await h.server.createRepository("config");
    const token = await tokenFor(h, WRITER, "config");
    const seed = await cloneWithToken(h, "config", token, "seed");
    await commitFiles(h, seed, { "values.yaml": "image: v1\n" }, "Seed");
    await git(["push", "--quiet", "origin", "main"], { cwd: seed, env: h.env, token });
    const dir = path.join(h.dir, "iso");
    const onAuth = () => ({ username: "x-access-token", password: token });

    // Act
    await isogit.clone({
      fs,
      http,
      dir,
      url: h.server.cloneUrl("config"),
      ref: "main",
      singleBranch: true,
      onAuth,
    });
    await writeFile(path.join(dir, "values.yaml"), "image: v2\n");
    await isogit.add({ fs, dir, filepath: "values.yaml" });
    const sha = await isogit.commit({
      fs,
      dir,
      message: "Bump image to v2",
      author: { name: "Writer", email: "writer@example.test" },
    });
    const result = await isogit.push({ fs, http, dir, remote: "origin", ref: "main", onAuth });
    await h.server.idle();

    // Assert
    expect(result.ok).toBe(true);
    const remote = await git(["ls-remote", h.server.cloneUrl("config"), "refs/heads/main"], {
      cwd: h.dir,
      env: h.env,
      token,
    });
    expect(remote.stdout).toContain(sha);
    expect(payloads(h).at(-1)).toMatchObject({
      after: sha,
      commits: [{ id: sha, modified: ["values.yaml"], message: "Bump image to v2" }],
    });
  });
});

describe("LocalGitServer webhook delivery", () => {
  it("retries a failing receiver with the same delivery id until it accepts", async () => {
    // Arrange
    const h = await startHarness({ receiverFailures: 2 });
    await h.server.createRepository("app");
    const token = await tokenFor(h, WRITER, "app");
    const work = await cloneWithToken(h, "app", token);
    await commitFiles(h, work, { "a.txt": "a\n" }, "First");

    // Act
    await git(["push", "--quiet", "origin", "main"], { cwd: work, env: h.env, token });
    await h.server.idle();

    // Assert
    expect(h.receiver.received).toHaveLength(3);
    expect(new Set(h.receiver.received.map((request) => request.headers["x-github-delivery"])).size).toBe(1);
    const [delivery] = h.server.deliveries();
    expect(delivery).toMatchObject({ status: "delivered", event: "push" });
    expect(delivery!.attempts.map((attempt) => attempt.statusCode)).toEqual([500, 500, 204]);
  });

  it("gives a delivery up after the last try and records it as failed", async () => {
    // Arrange
    const h = await startHarness({ receiverFailures: 10 });
    await h.server.createRepository("app");
    const token = await tokenFor(h, WRITER, "app");
    const work = await cloneWithToken(h, "app", token);
    await commitFiles(h, work, { "a.txt": "a\n" }, "First");

    // Act
    await git(["push", "--quiet", "origin", "main"], { cwd: work, env: h.env, token });
    await h.server.idle();

    // Assert
    expect(h.receiver.received).toHaveLength(3);
    expect(h.server.deliveries()).toMatchObject([{ status: "failed", attempts: [{}, {}, {}] }]);
  });
});

describe("LocalGitServer gzip request bodies", () => {
  it("serves an upload-pack request whose body is gzip-compressed", async () => {
    // Arrange
    const h = await startHarness({ anonymousRead: true });
    await h.server.createRepository("app");
    const token = await tokenFor(h, WRITER, "app");
    const work = await cloneWithToken(h, "app", token);
    const sha = await commitFiles(h, work, { "a.txt": "a\n" }, "First");
    await git(["push", "--quiet", "origin", "main"], { cwd: work, env: h.env, token });
    const pkt = (line: string) => `${(line.length + 4).toString(16).padStart(4, "0")}${line}`;
    const body = gzipSync(Buffer.from(`${pkt(`want ${sha}\n`)}0000${pkt("done\n")}`));

    // Act
    const response = await fetch(`${h.server.cloneUrl("app")}/git-upload-pack`, {
      method: "POST",
      headers: { "content-type": "application/x-git-upload-pack-request", "content-encoding": "gzip" },
      body,
    });
    const answer = Buffer.from(await response.arrayBuffer());

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/x-git-upload-pack-result");
    expect(answer.subarray(0, 8).toString("latin1")).toBe("0008NAK\n");
    expect(answer.includes(Buffer.from("PACK"))).toBe(true);
  });
});

function basic(token: string): string {
  return `Basic ${Buffer.from(`x-access-token:${token}`).toString("base64")}`;
}

function reencode(
  token: string,
  change: (header: Record<string, unknown>, claims: Record<string, unknown>) => void,
) {
  const [header = "", claims = "", signature = ""] = token.split(".");
  const decode = (part: string): Record<string, unknown> =>
    JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
  const newHeader = decode(header);
  const newClaims = decode(claims);
  change(newHeader, newClaims);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  return { header: encode(newHeader), claims: encode(newClaims), signature };
}

describe("LocalGitServer refusals", () => {
  const refusedTokens: {
    name: string;
    status: number;
    reason: RegExp;
    token: (h: Harness) => Promise<string>;
  }[] = [
    {
      name: "an expired repository token",
      status: 401,
      reason: /expired at/,
      token: async (h) => {
        h.clock.current = new Date(Date.now() - 60 * 60 * 1000);
        const token = await tokenFor(h, WRITER, "app");
        h.clock.current = undefined;
        return token;
      },
    },
    {
      name: "a tampered repository token",
      status: 401,
      reason: /signature does not match/,
      token: async (h) => {
        const { header, claims, signature } = reencode(await tokenFor(h, WRITER, "config"), (_, body) => {
          body.repository = "app";
        });
        return `${header}.${claims}.${signature}`;
      },
    },
    {
      name: "an unsigned (alg none) token",
      status: 401,
      reason: /unsigned/,
      token: async (h) => {
        const { header, claims } = reencode(await tokenFor(h, WRITER, "app"), (head) => {
          head.alg = "none";
        });
        return `${header}.${claims}.`;
      },
    },
    {
      name: "a workload token instead of a repository token",
      status: 401,
      reason: /typ/,
      token: async (h) =>
        (await h.oidc.issueWorkloadToken({ subject: WRITER, audience: ["shipline-git"] })).token,
    },
    {
      name: "a valid token for another repository",
      status: 403,
      reason: /for repository 'config', not 'app'/,
      token: async (h) => tokenFor(h, WRITER, "config"),
    },
    {
      name: "a read-only token",
      status: 403,
      reason: /not 'write'/,
      token: async (h) => tokenFor(h, READER, "app"),
    },
  ];

  it.each(refusedTokens)(
    "refuses a push with $name, saying why",
    async ({ status, reason, token: makeToken }) => {
      // Arrange
      const h = await startHarness({ anonymousRead: true });
      await h.server.createRepository("app");
      const seed = await cloneWithToken(h, "app", await tokenFor(h, WRITER, "app"));
      await commitFiles(h, seed, { "a.txt": "a\n" }, "Refused commit");
      const token = await makeToken(h);

      // Act
      const probe = await fetch(`${h.server.cloneUrl("app")}/info/refs?service=git-receive-pack`, {
        headers: { authorization: basic(token) },
      });
      const pushed = await git(["push", "--quiet", "origin", "main"], { cwd: seed, env: h.env, token });
      await h.server.idle();

      // Assert
      expect(probe.status).toBe(status);
      expect(await probe.text()).toMatch(reason);
      expect(pushed.code).not.toBe(0);
      expect(pushed.stderr).not.toContain(token);
      const remote = await git(["ls-remote", h.server.cloneUrl("app")], { cwd: h.dir, env: h.env });
      expect(remote.stdout).toBe("");
      expect(h.receiver.received).toHaveLength(0);
    },
  );

  it("asks for credentials when a push comes without a token", async () => {
    // Arrange
    const h = await startHarness({ anonymousRead: true });
    await h.server.createRepository("app");

    // Act
    const response = await fetch(`${h.server.cloneUrl("app")}/info/refs?service=git-receive-pack`);

    // Assert
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic realm=/);
  });

  it("answers 404 for a repository that does not exist", async () => {
    // Arrange
    const h = await startHarness({ anonymousRead: true });

    // Act
    const response = await fetch(`${h.server.baseUrl}/missing.git/info/refs?service=git-upload-pack`);

    // Assert
    expect(response.status).toBe(404);
  });
});

describe("LocalGitServer anonymous read", () => {
  it("lets anyone clone when anonymous read is on", async () => {
    // Arrange
    const h = await startHarness({ anonymousRead: true });
    await h.server.createRepository("app");
    const token = await tokenFor(h, WRITER, "app");
    const work = await cloneWithToken(h, "app", token);
    const sha = await commitFiles(h, work, { "a.txt": "a\n" }, "First");
    await git(["push", "--quiet", "origin", "main"], { cwd: work, env: h.env, token });

    // Act
    const cloned = await git(["clone", "--quiet", h.server.cloneUrl("app"), "anonymous"], {
      cwd: h.dir,
      env: h.env,
    });

    // Assert
    expect(cloned.code, cloned.stderr).toBe(0);
    const head = await git(["rev-parse", "HEAD"], { cwd: path.join(h.dir, "anonymous"), env: h.env });
    expect(head.stdout.trim()).toBe(sha);
  });

  it("refuses a clone without a token when anonymous read is off, and allows one with a read token", async () => {
    // Arrange
    const h = await startHarness({ anonymousRead: false });
    await h.server.createRepository("app");
    const readToken = await tokenFor(h, READER, "app");

    // Act
    const anonymous = await git(["clone", "--quiet", h.server.cloneUrl("app"), "anonymous"], {
      cwd: h.dir,
      env: h.env,
    });
    const probe = await fetch(`${h.server.cloneUrl("app")}/info/refs?service=git-upload-pack`);
    const withToken = await git(["clone", "--quiet", h.server.cloneUrl("app"), "reader"], {
      cwd: h.dir,
      env: h.env,
      token: readToken,
    });

    // Assert
    expect(anonymous.code).not.toBe(0);
    expect(probe.status).toBe(401);
    expect(withToken.code, withToken.stderr).toBe(0);
  });
});
