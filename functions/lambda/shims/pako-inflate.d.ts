// The part of pako 1's inflate module that isomorphic-git uses and pako-node-deflate.ts re-exports.
declare module "pako/lib/inflate.js" {
  /** Streaming inflate: `push` chunks until `result` is set; `strm.avail_in` is what was not read. */
  export class Inflate {
    push(data: Uint8Array, mode?: boolean | number): boolean;
    readonly result: Uint8Array | undefined;
    readonly err: number;
    readonly msg: string;
    readonly strm: { readonly avail_in: number };
  }
  /** Inflates a whole zlib stream. */
  export function inflate(data: Uint8Array): Uint8Array;
}
