import { registryError } from "./registry-error.js";

/** Repository name grammar of the distribution specification (path components joined by `/`). */
const NAME_PATTERN = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const DIGEST_PATTERN = /^([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)$/;

/** Digest algorithms the registry stores, with the length of their hex encoding. */
const ALGORITHMS: Readonly<Record<string, number>> = { sha256: 64, sha512: 128 };

/** A parsed content digest. */
export interface Digest {
  /** `sha256` or `sha512`. */
  readonly algorithm: string;
  /** Lower-case hex encoding. */
  readonly hex: string;
  /** `algorithm:hex`. */
  readonly value: string;
}

/**
 * Checks a repository name (`demo/app`, nested names allowed) against the specification's grammar.
 *
 * @example
 * ```ts
 * const name = parseRepositoryName("team/service/api");
 * ```
 */
export function parseRepositoryName(name: string): string {
  if (name.length > 255 || !NAME_PATTERN.test(name)) {
    throw registryError({
      status: 400,
      code: "NAME_INVALID",
      message: `repository name '${name}' is invalid: use lower-case components of letters and digits, separated by '.', '_', '__' or '-', joined by '/'`,
      detail: { name },
    });
  }
  return name;
}

/**
 * Checks a tag against `[A-Za-z0-9_][A-Za-z0-9._-]{0,127}`.
 *
 * @example
 * ```ts
 * parseTag("1.0.0-abc1234");
 * ```
 */
export function parseTag(tag: string): string {
  if (!TAG_PATTERN.test(tag)) {
    throw registryError({
      status: 400,
      code: "TAG_INVALID",
      message: `tag '${tag}' is invalid: use at most 128 characters of letters, digits, '_', '.' and '-', not starting with '.' or '-'`,
      detail: { tag },
    });
  }
  return tag;
}

/** Tells whether a manifest reference is a digest (`algorithm:hex`) rather than a tag. */
export function isDigestReference(reference: string): boolean {
  return reference.includes(":");
}

/**
 * Parses a digest the registry can verify (`sha256:` or `sha512:` with lower-case hex of the
 * right length); anything else is a 400 `DIGEST_INVALID`.
 *
 * @example
 * ```ts
 * const { algorithm, hex } = parseDigest("sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae");
 * ```
 */
export function parseDigest(value: string): Digest {
  const match = DIGEST_PATTERN.exec(value);
  const algorithm = match?.[1];
  const hex = match?.[2];
  const length = algorithm === undefined ? undefined : ALGORITHMS[algorithm];
  if (!algorithm || !hex || length === undefined || hex.length !== length || !/^[0-9a-f]+$/.test(hex)) {
    throw registryError({
      status: 400,
      code: "DIGEST_INVALID",
      message: `digest '${value}' is invalid: use sha256:<64 hex characters> or sha512:<128 hex characters>, lower case`,
      detail: { digest: value },
    });
  }
  return { algorithm, hex, value };
}
