// Bundled in place of `pako` (isomorphic-git's zlib) in every step function (see
// infra/constructs/lambda-bundling.ts): pako's own inflate, which isomorphic-git streams packfiles
// through, and node:zlib's deflate instead of pako's (about 22 KB); isomorphic-git only falls back
// to it where CompressionStream is missing, which Node has had since version 18.
import { deflateSync } from "node:zlib";
import { Inflate, inflate } from "pako/lib/inflate.js";

/**
 * The surface of pako isomorphic-git uses: `Inflate`, `inflate` and `deflate` (zlib format, the
 * default level, as pako's).
 *
 * @example
 * ```ts
 * pako.inflate(pako.deflate(bytes)); // bytes
 * ```
 */
const pako = {
  Inflate,
  inflate,
  deflate: (data: Uint8Array): Uint8Array => deflateSync(data),
};

export default pako;
