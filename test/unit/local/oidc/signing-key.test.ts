import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSigningKey, SIGNING_KEY_FILE } from "../../../../functions/local/oidc/signing-key.js";

let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "shipline-oidc-key-"));
});

afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe("loadSigningKey", () => {
  it("keeps the key pair in the data directory so a restart signs with the same key", async () => {
    // Arrange
    const first = await loadSigningKey({ dataDir });

    // Act
    const second = await loadSigningKey({ dataDir });

    // Assert
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwk).toEqual(first.publicJwk);
    expect(first.publicJwk).toMatchObject({ kty: "RSA", alg: "RS256", use: "sig", kid: first.kid });
    expect(first.publicJwk).not.toHaveProperty("d");
  });

  it("writes the private key readable by its owner only", async () => {
    // Act
    await loadSigningKey({ dataDir });

    // Assert
    const file = await stat(path.join(dataDir, SIGNING_KEY_FILE));
    expect(file.mode & 0o777).toBe(0o600);
  });

  it("generates a new key pair each time when no data directory is given", async () => {
    // Act
    const [first, second] = await Promise.all([loadSigningKey(), loadSigningKey()]);

    // Assert
    expect(first.kid).not.toBe(second.kid);
  });

  it("refuses a key file that is not an RSA private key, naming the file", async () => {
    // Arrange
    const file = path.join(dataDir, SIGNING_KEY_FILE);
    await writeFile(file, JSON.stringify({ kty: "EC" }));

    // Act
    const error = await loadSigningKey({ dataDir }).catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "OIDC_SIGNING_KEY_INVALID" });
    expect(String(error)).toContain(SIGNING_KEY_FILE);
    expect(await readFile(file, "utf8")).toBe(JSON.stringify({ kty: "EC" }));
  });

  it("agrees on one key pair when two starts share a new data directory at once", async () => {
    // Act
    const [first, second] = await Promise.all([loadSigningKey({ dataDir }), loadSigningKey({ dataDir })]);

    // Assert
    expect(first.kid).toBe(second.kid);
  });
});
