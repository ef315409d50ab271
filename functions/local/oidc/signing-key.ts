import { chmod, link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from "jose";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/** The only signing algorithm of the local issuer (the STS default). */
export const SIGNING_ALGORITHM = "RS256";

/** File name of the persisted key pair inside the data directory. */
export const SIGNING_KEY_FILE = "oidc-signing-key.json";

/** The issuer's key pair: the private key signs, the public JWK is published in the JWKS. */
export interface SigningKey {
  /** Key id (the RFC 7638 thumbprint of the public key), set as `kid` in every token header. */
  readonly kid: string;
  /** Private key used to sign. */
  readonly privateKey: CryptoKey;
  /** Public key as a JWK with `kid`, `alg` and `use`, as the JWKS publishes it. */
  readonly publicJwk: JWK;
}

/** Options for {@link loadSigningKey}. */
export interface LoadSigningKeyOptions {
  /**
   * Directory that keeps the key pair across restarts, so tokens issued before a restart still
   * verify. Created when missing; the key file is written with mode 0600.
   * @default - a new key pair in memory only, lost on restart
   */
  readonly dataDir?: string;
}

const storedKey = z.object({
  kty: z.literal("RSA"),
  n: z.string().min(1),
  e: z.string().min(1),
  d: z.string().min(1),
  p: z.string().min(1),
  q: z.string().min(1),
  dp: z.string().min(1),
  dq: z.string().min(1),
  qi: z.string().min(1),
});

/**
 * Loads the issuer's RS256 key pair from `dataDir`, or generates one (and stores it there when a
 * data directory is given).
 *
 * @example
 * ```ts
 * const key = await loadSigningKey({ dataDir: ".shipline/oidc" });
 * ```
 */
export async function loadSigningKey(options: LoadSigningKeyOptions = {}): Promise<SigningKey> {
  const file = options.dataDir === undefined ? undefined : path.join(options.dataDir, SIGNING_KEY_FILE);
  const stored = file === undefined ? undefined : await readStoredKey(file);
  if (stored) return toSigningKey(stored);
  const pair = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true, modulusLength: 2048 });
  const privateJwk = storedKey.parse(await exportJWK(pair.privateKey));
  return toSigningKey(file === undefined ? privateJwk : await storeKey(file, privateJwk));
}

async function readStoredKey(file: string): Promise<z.infer<typeof storedKey> | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return undefined;
    throw error;
  }
  const parsed = storedKey.safeParse(parseJson(text));
  if (!parsed.success) {
    throw new ShiplineError({
      code: "OIDC_SIGNING_KEY_INVALID",
      message: `${file} is not an RSA private JWK; delete it to have a new key pair generated (tokens issued with the old key stop verifying)`,
      data: { file },
    });
  }
  return parsed.data;
}

/**
 * Stores the key unless another process stored one first (`link` fails on an existing file), and
 * answers the key that is stored now, so that concurrent starts agree on one key pair.
 */
async function storeKey(file: string, jwk: z.infer<typeof storedKey>): Promise<z.infer<typeof storedKey>> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, `${JSON.stringify(jwk)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  try {
    await link(temporary, file);
    return jwk;
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
    return (await readStoredKey(file)) ?? jwk;
  } finally {
    await rm(temporary, { force: true });
  }
}

async function toSigningKey(privateJwk: z.infer<typeof storedKey>): Promise<SigningKey> {
  const publicParts = { kty: privateJwk.kty, n: privateJwk.n, e: privateJwk.e };
  const kid = await calculateJwkThumbprint(publicParts, "sha256");
  const privateKey = await importJWK({ ...privateJwk, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM);
  if (privateKey instanceof Uint8Array) {
    throw new ShiplineError({
      code: "OIDC_SIGNING_KEY_INVALID",
      message: "the stored signing key imported as raw bytes instead of an RSA key; delete the key file",
    });
  }
  return { kid, privateKey, publicJwk: { ...publicParts, kid, alg: SIGNING_ALGORITHM, use: "sig" } };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
