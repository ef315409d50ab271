// Bundled in place of `sha.js/sha1.js` (isomorphic-git's SHA-1) in every step function (see
// infra/constructs/lambda-bundling.ts): node:crypto computes the same digest natively, without
// sha.js's chain of typed-array polyfills (about 22 KB).
import { createHash, type Hash } from "node:crypto";

/**
 * An incremental SHA-1 with the surface isomorphic-git uses of `sha.js`: `update` returns the hash
 * for chaining and accepts strings and bytes; `digest()` returns a Buffer, `digest("hex")` text.
 *
 * @example
 * ```ts
 * new Sha1().update("blob 0\0").digest("hex"); // "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"
 * ```
 */
export default class Sha1 {
  readonly #hash: Hash = createHash("sha1");

  update(data: string | Uint8Array, encoding?: BufferEncoding): this {
    if (typeof data === "string") this.#hash.update(data, encoding ?? "utf8");
    else this.#hash.update(data);
    return this;
  }

  digest(): Buffer;
  digest(encoding: "hex" | "base64"): string;
  digest(encoding?: "hex" | "base64"): Buffer | string {
    return encoding === undefined ? this.#hash.digest() : this.#hash.digest(encoding);
  }
}
