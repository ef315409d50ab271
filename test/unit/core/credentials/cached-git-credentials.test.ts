import { describe, expect, it } from "vitest";
import { CachedGitCredentials } from "../../../../functions/core/credentials/cached-git-credentials.js";
import { gitAuthCallback } from "../../../../functions/core/credentials/git-auth-callback.js";
import type {
  GitCredential,
  GitCredentialsProvider,
} from "../../../../functions/core/ports/git-credentials.js";

const REPO = "https://github.com/acme/deploy.git";
const START = Date.parse("2026-03-01T12:00:00Z");

/** A provider that mints `token-1`, `token-2`, ... each valid `lifetimeSeconds`, and counts its calls. */
function countingProvider(options: {
  now: () => number;
  lifetimeSeconds?: number;
}): GitCredentialsProvider & {
  calls: string[];
  release?: () => void;
} {
  const calls: string[] = [];
  return {
    kind: "test",
    calls,
    async credentials(repoUrl: string): Promise<GitCredential> {
      calls.push(repoUrl);
      const lifetime = options.lifetimeSeconds;
      return {
        username: "x-access-token",
        password: `token-${calls.length}`,
        ...(lifetime === undefined ? {} : { expiresAt: new Date(options.now() + lifetime * 1000) }),
      };
    },
  };
}

describe("CachedGitCredentials", () => {
  it("asks the provider once while the credentials have more than a minute left", async () => {
    // Arrange
    let now = START;
    const provider = countingProvider({ now: () => now, lifetimeSeconds: 600 });
    const cached = new CachedGitCredentials({ provider, clock: { now: () => new Date(now) } });

    // Act
    const first = await cached.credentials(REPO);
    now += 539_000;
    const second = await cached.credentials(REPO);

    // Assert
    expect(first.password).toBe("token-1");
    expect(second.password).toBe("token-1");
    expect(provider.calls).toEqual([REPO]);
  });

  it("mints new credentials once fewer than 60 seconds of their life remain", async () => {
    // Arrange
    let now = START;
    const provider = countingProvider({ now: () => now, lifetimeSeconds: 600 });
    const cached = new CachedGitCredentials({ provider, clock: { now: () => new Date(now) } });
    await cached.credentials(REPO);

    // Act
    now += 541_000;
    const renewed = await cached.credentials(REPO);

    // Assert
    expect(renewed.password).toBe("token-2");
    expect(provider.calls).toHaveLength(2);
  });

  it("shares one provider call among concurrent callers for the same repository", async () => {
    // Arrange
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let calls = 0;
    const provider: GitCredentialsProvider = {
      kind: "slow",
      async credentials() {
        calls += 1;
        await gate;
        return { username: "u", password: `token-${calls}`, expiresAt: new Date(START + 600_000) };
      },
    };
    const cached = new CachedGitCredentials({ provider, clock: { now: () => new Date(START) } });

    // Act
    const pending = [cached.credentials(REPO), cached.credentials(REPO), cached.credentials(REPO)];
    release();
    const results = await Promise.all(pending);

    // Assert
    expect(calls).toBe(1);
    expect(results.map((result) => result.password)).toEqual(["token-1", "token-1", "token-1"]);
  });

  it("keeps repositories apart", async () => {
    // Arrange
    const provider = countingProvider({ now: () => START, lifetimeSeconds: 600 });
    const cached = new CachedGitCredentials({ provider, clock: { now: () => new Date(START) } });

    // Act
    const one = await cached.credentials(REPO);
    const other = await cached.credentials("https://github.com/acme/other.git");

    // Assert
    expect([one.password, other.password]).toEqual(["token-1", "token-2"]);
  });

  it("does not cache a failure, so the next call asks again", async () => {
    // Arrange
    let attempt = 0;
    const provider: GitCredentialsProvider = {
      kind: "flaky",
      async credentials() {
        attempt += 1;
        if (attempt === 1) throw new Error("issuer down");
        return { username: "u", password: "token-after-failure", expiresAt: new Date(START + 600_000) };
      },
    };
    const cached = new CachedGitCredentials({ provider, clock: { now: () => new Date(START) } });

    // Act
    const failed = await cached.credentials(REPO).catch((error: unknown) => error);
    const retried = await cached.credentials(REPO);

    // Assert
    expect(failed).toBeInstanceOf(Error);
    expect(retried.password).toBe("token-after-failure");
  });

  it("reuses credentials without an expiry for maxAgeSeconds, then reads them again", async () => {
    // Arrange
    let now = START;
    const provider = countingProvider({ now: () => now });
    const cached = new CachedGitCredentials({
      provider,
      clock: { now: () => new Date(now) },
      maxAgeSeconds: 300,
    });

    // Act
    await cached.credentials(REPO);
    now += 299_000;
    const warm = await cached.credentials(REPO);
    now += 2_000;
    const reread = await cached.credentials(REPO);

    // Assert
    expect([warm.password, reread.password]).toEqual(["token-1", "token-2"]);
  });

  it("forgets refused credentials on invalidate", async () => {
    // Arrange
    const provider = countingProvider({ now: () => START, lifetimeSeconds: 600 });
    const cached = new CachedGitCredentials({ provider, clock: { now: () => new Date(START) } });
    await cached.credentials(REPO);

    // Act
    cached.invalidate(REPO);
    const fresh = await cached.credentials(REPO);

    // Assert
    expect(fresh.password).toBe("token-2");
    expect(cached.kind).toBe("test");
  });
});

describe("gitAuthCallback", () => {
  it("hands git the user name and password of the repository's credentials, without the expiry", async () => {
    // Arrange
    const provider = countingProvider({ now: () => START, lifetimeSeconds: 600 });

    // Act
    const auth = await gitAuthCallback(provider, REPO)();

    // Assert
    expect(auth).toEqual({ username: "x-access-token", password: "token-1" });
    expect(provider.calls).toEqual([REPO]);
  });
});
