import { createHash, type Hash, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rm, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { BlobStore, ByteRange } from "./blob-store.js";
import type { Digest } from "./reference.js";
import { registryError } from "./registry-error.js";

/** One blob upload in progress. */
export interface UploadSession {
  /** The upload id of `/v2/<name>/blobs/uploads/<id>`. */
  readonly id: string;
  /** The repository the upload belongs to. */
  readonly repository: string;
  /** Bytes received so far. */
  readonly size: number;
}

interface SessionState {
  readonly id: string;
  readonly repository: string;
  readonly file: string;
  size: number;
  /** sha256 of the bytes so far, updated while they stream in. */
  hash: Hash;
  /** Serialises requests on one upload, so that chunks are checked against a settled size. */
  queue: Promise<unknown>;
}

/** A chunk of an upload: the request body and what its headers claim about it. */
export interface UploadChunk {
  readonly body: Readable;
  /** From `Content-Range`; the start must equal the bytes received so far. */
  readonly range?: ByteRange;
  /** From `Content-Length`. */
  readonly length?: number;
}

/**
 * Blob uploads in progress: each one is a file under `uploads/` of the data directory whose sha256
 * is computed while the chunks stream in. Finishing an upload verifies the digest and moves the
 * file into the {@link BlobStore}. Sessions live in memory; a restart forgets them (clients start
 * over, as the specification allows).
 *
 * @example
 * ```ts
 * const session = await uploads.create("demo/app");
 * await uploads.append(session.id, "demo/app", { body: request });
 * await uploads.finish(session.id, "demo/app", digest);
 * ```
 */
export class UploadSessions {
  readonly #directory: string;
  readonly #blobs: BlobStore;
  readonly #sessions = new Map<string, SessionState>();

  constructor(dataDir: string, blobs: BlobStore) {
    this.#directory = path.join(dataDir, "uploads");
    this.#blobs = blobs;
  }

  /** Forgets every upload file left by an earlier run. */
  async reset(): Promise<void> {
    await rm(this.#directory, { recursive: true, force: true });
    await mkdir(this.#directory, { recursive: true });
  }

  /** Starts an empty upload. */
  async create(repository: string): Promise<UploadSession> {
    const id = randomUUID();
    const file = path.join(this.#directory, id);
    await writeFile(file, "");
    const state: SessionState = {
      id,
      repository,
      file,
      size: 0,
      hash: createHash("sha256"),
      queue: Promise.resolve(),
    };
    this.#sessions.set(id, state);
    return view(state);
  }

  /** The state of an upload; a 404 `BLOB_UPLOAD_UNKNOWN` when it is not an upload of this repository. */
  get(id: string, repository: string): UploadSession {
    return view(this.#state(id, repository));
  }

  /** Appends a chunk; a 416 when its `Content-Range` does not continue the upload. */
  append(id: string, repository: string, chunk: UploadChunk): Promise<UploadSession> {
    const state = this.#state(id, repository);
    return this.#serialise(state, async () => {
      await this.#write(state, chunk);
      return view(state);
    });
  }

  /**
   * Appends an optional last chunk, verifies the whole content against `digest` and stores the
   * blob; a 400 `DIGEST_INVALID` (and the upload is dropped) when the content does not match.
   */
  finish(id: string, repository: string, digest: Digest, chunk?: UploadChunk): Promise<void> {
    const state = this.#state(id, repository);
    return this.#serialise(state, async () => {
      if (chunk) await this.#write(state, chunk);
      const actual = await this.#digest(state, digest.algorithm);
      this.#sessions.delete(id);
      if (actual !== digest.hex) {
        await rm(state.file, { force: true });
        throw registryError({
          status: 400,
          code: "DIGEST_INVALID",
          message: `the uploaded content hashes to ${digest.algorithm}:${actual}, not ${digest.value}; upload the blob again with its real digest`,
          detail: { expected: digest.value, actual: `${digest.algorithm}:${actual}` },
        });
      }
      await this.#blobs.adopt(state.file, digest);
    });
  }

  /** Cancels an upload and removes its file. */
  async cancel(id: string, repository: string): Promise<void> {
    const state = this.#state(id, repository);
    this.#sessions.delete(id);
    await state.queue.catch(() => undefined);
    await rm(state.file, { force: true });
  }

  #state(id: string, repository: string): SessionState {
    const state = this.#sessions.get(id);
    if (!state || state.repository !== repository) {
      throw registryError({
        status: 404,
        code: "BLOB_UPLOAD_UNKNOWN",
        message: `upload '${id}' is not in progress for repository '${repository}'; start one with POST /v2/${repository}/blobs/uploads/`,
        detail: { uuid: id },
      });
    }
    return state;
  }

  #serialise<T>(state: SessionState, work: () => Promise<T>): Promise<T> {
    const result = state.queue.then(work);
    state.queue = result.catch(() => undefined);
    return result;
  }

  async #write(state: SessionState, chunk: UploadChunk): Promise<void> {
    checkRange(state, chunk);
    const before = { size: state.size, hash: state.hash.copy() };
    let received = 0;
    const hashing = new Transform({
      transform(data: Buffer, _encoding, done) {
        received += data.length;
        state.hash.update(data);
        done(null, data);
      },
    });
    try {
      await pipeline(chunk.body, hashing, createWriteStream(state.file, { flags: "a" }));
      const expected = chunk.range ? chunk.range.end - chunk.range.start + 1 : chunk.length;
      if (expected !== undefined && expected !== received) {
        throw registryError({
          status: 400,
          code: "SIZE_INVALID",
          message: `the chunk announced ${expected} bytes but ${received} arrived; send the chunk again`,
          detail: { expected, received },
        });
      }
      state.size += received;
    } catch (error) {
      // Roll the upload back to the last complete chunk so that the client can resend this one.
      await truncate(state.file, before.size);
      state.hash = before.hash;
      state.size = before.size;
      throw error;
    }
  }

  async #digest(state: SessionState, algorithm: string): Promise<string> {
    if (algorithm === "sha256") return state.hash.copy().digest("hex");
    const hash = createHash(algorithm);
    for await (const data of createReadStream(state.file)) hash.update(data);
    return hash.digest("hex");
  }
}

function checkRange(state: SessionState, chunk: UploadChunk): void {
  const range = chunk.range;
  if (!range) return;
  const lengthMismatch = chunk.length !== undefined && chunk.length !== range.end - range.start + 1;
  if (range.start !== state.size || range.end < range.start || lengthMismatch) {
    throw registryError({
      status: 416,
      code: "BLOB_UPLOAD_INVALID",
      message: `Content-Range ${range.start}-${range.end} does not continue upload '${state.id}' at byte ${state.size}; send the next chunk as ${state.size}-<end>`,
      detail: { uuid: state.id, received: state.size, range: `${range.start}-${range.end}` },
    });
  }
}

function view(state: SessionState): UploadSession {
  return { id: state.id, repository: state.repository, size: state.size };
}
