import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  cloneWithToken,
  commitFiles,
  type Harness,
  READER,
  startHarness as start,
  stopHarness,
  tokenFor,
  WRITER,
} from "./git-server-harness.js";
import { git } from "./git-server-kit.js";

let harness: Harness | undefined;

async function startHarness(options?: Parameters<typeof start>[0]): Promise<Harness> {
  harness = await start(options);
  return harness;
}

afterEach(async () => {
  if (harness) await stopHarness(harness);
  harness = undefined;
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
