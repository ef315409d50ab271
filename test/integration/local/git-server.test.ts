import { createHmac, timingSafeEqual } from "node:crypto";
import * as fs from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import * as isogit from "isomorphic-git";
import http from "isomorphic-git/http/node";
import { afterEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { readFixture } from "../../read-fixture.js";
import {
  cloneWithToken,
  commitFiles,
  type Harness,
  payloadFor,
  payloads,
  SECRET,
  startHarness as start,
  stopHarness,
  tokenFor,
  WRITER,
  ZERO,
} from "./git-server-harness.js";
import { git } from "./git-server-kit.js";

/** The parts of a GitHub push payload whose keys the local server must send as GitHub does. */
const githubPush = z
  .object({
    commits: z.array(z.record(z.string(), z.unknown())),
    pusher: z.record(z.string(), z.unknown()),
  })
  .loose();

let harness: Harness | undefined;

async function startHarness(options?: Parameters<typeof start>[0]): Promise<Harness> {
  harness = await start(options);
  return harness;
}

afterEach(async () => {
  if (harness) await stopHarness(harness);
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

  it("sends a payload with every field of a GitHub push payload", async () => {
    // Arrange
    const github = githubPush.parse(readFixture("webhooks/github-push.branch-update.json"));
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
    const commitKeys = Object.keys(github.commits[0] ?? {}).filter(
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
    const update = payloadFor(h, "refs/heads/main", second);
    const forced = payloadFor(h, "refs/heads/main", rewritten);
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
    expect(payloadFor(h, "refs/heads/feature", ZERO)).toMatchObject({
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
    expect(payloadFor(h, "refs/heads/main", sha)).toMatchObject({
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
