import type { HttpClient } from "isomorphic-git";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { GitCredentials } from "./isomorphic-config-repository.js";

/** Options of {@link ReceivePackClient}. */
export interface ReceivePackClientOptions {
  /** The repository URL (no credentials in it). */
  readonly url: string;
  readonly http: HttpClient;
  /** Asked when the host answers 401, like isomorphic-git's `onAuth`. */
  readonly credentials?: () => Promise<GitCredentials>;
}

/** The answer of {@link ReceivePackClient.push}. */
export type ReceivePackResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Code of the error {@link ReceivePackClient} throws for an HTTP status other than 200 (`data.statusCode`). */
export const GIT_HTTP_STATUS = "GIT_HTTP_STATUS";

/** The object id git uses for "no object": the old value of a ref being created. */
export const ZERO_OID = "0".repeat(40);
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A minimal smart-HTTP `git-receive-pack` client that pushes one prepared pack for one ref update:
 * `GET info/refs` to learn where the branch is, then one `POST` with the command and the pack,
 * reading git's `report-status`. It exists because isomorphic-git's `push` lists every object of
 * the pushed and the remote trees to decide what to send, which costs seconds on a repository of
 * tens of thousands of files, while the writer knows exactly which objects it wrote. Credentials
 * are asked for only when the host answers 401 (like `onAuth`), then sent as a Basic
 * `Authorization` header to that host; they never appear in a URL, a log line or an error.
 *
 * @example
 * ```ts
 * const client = new ReceivePackClient({ url, http, credentials });
 * const head = await client.remoteHead("refs/heads/main");
 * const result = await client.push({ ref: "refs/heads/main", oldOid: head ?? ZERO_OID, newOid: commit, pack });
 * ```
 */
export class ReceivePackClient {
  private readonly options: ReceivePackClientOptions;
  private authorization: string | undefined;

  constructor(options: ReceivePackClientOptions) {
    this.options = options;
  }

  /**
   * Sends these credentials from the first request on, sparing the 401 round trip: used with the
   * credentials the same host just accepted through isomorphic-git's `onAuth`.
   */
  preferCredentials(credentials: GitCredentials): void {
    this.authorization = basic(credentials);
  }

  /** Where the remote branch points now (`undefined`: it does not exist). */
  async remoteHead(ref: string): Promise<string | undefined> {
    const url = `${this.options.url}/info/refs?service=git-receive-pack`;
    const body = await this.request({ url, method: "GET", headers: {} }, "ref discovery");
    for (const line of pktLines(body)) {
      const text = decoder.decode(line).replace(/\n$/, "");
      const [refPart] = text.split("\0");
      const [oid, name] = (refPart ?? "").split(" ");
      if (name === ref && oid !== undefined && oid !== ZERO_OID) return oid;
    }
    return undefined;
  }

  /** Sends the ref update and the pack; resolves with git's verdict on the ref. */
  async push(update: {
    readonly ref: string;
    readonly oldOid: string;
    readonly newOid: string;
    readonly pack: Uint8Array;
  }): Promise<ReceivePackResult> {
    const command = `${update.oldOid} ${update.newOid} ${update.ref}\0 report-status agent=shipline\n`;
    const body = Buffer.concat([pktLine(command), Buffer.from("0000"), update.pack]);
    const answer = await this.request(
      {
        url: `${this.options.url}/git-receive-pack`,
        method: "POST",
        headers: {
          "content-type": "application/x-git-receive-pack-request",
          accept: "application/x-git-receive-pack-result",
        },
        body,
      },
      "push",
    );
    const lines = pktLines(answer).map((line) => decoder.decode(line).replace(/\n$/, ""));
    const unpack = lines.find((line) => line.startsWith("unpack "));
    if (unpack !== "unpack ok") return { ok: false, reason: unpack ?? "no report from the server" };
    const status = lines.find(
      (line) => line.startsWith(`ok ${update.ref}`) || line.startsWith(`ng ${update.ref}`),
    );
    if (status?.startsWith("ok ")) return { ok: true };
    return { ok: false, reason: status?.slice(`ng ${update.ref} `.length) ?? "the ref was not reported" };
  }

  private async request(
    request: { url: string; method: string; headers: Record<string, string>; body?: Buffer },
    what: string,
  ): Promise<Uint8Array> {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const headers = {
        ...request.headers,
        "user-agent": "git/shipline",
        ...(this.authorization === undefined ? {} : { authorization: this.authorization }),
      };
      const response = await this.options.http.request({
        url: request.url,
        method: request.method,
        headers,
        ...(request.body === undefined ? {} : { body: once(request.body) }),
      });
      const body = await collect(response.body);
      if (response.statusCode === 401 && attempt === 0 && this.options.credentials) {
        this.authorization = basic(await this.options.credentials());
        continue;
      }
      if (response.statusCode === 401) this.authorization = undefined;
      if (response.statusCode !== 200) throw httpStatusError(response.statusCode, what);
      return body;
    }
    throw httpStatusError(401, what);
  }
}

function basic(credentials: GitCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64")}`;
}

/** Only the status is kept: a header or body could echo credentials. */
function httpStatusError(statusCode: number, what: string): ShiplineError {
  return new ShiplineError({
    code: GIT_HTTP_STATUS,
    message: `the git host answered the ${what} with HTTP ${statusCode}`,
    data: { statusCode },
    retryable: statusCode === 401 || statusCode === 403 || statusCode >= 500,
  });
}

async function* once(chunk: Uint8Array): AsyncIterableIterator<Uint8Array> {
  yield chunk;
}

function pktLine(text: string): Buffer {
  const payload = encoder.encode(text);
  return Buffer.concat([Buffer.from((payload.length + 4).toString(16).padStart(4, "0")), payload]);
}

/** Splits a pkt-line stream into its payloads (flush and delimiter packets are skipped). */
function pktLines(data: Uint8Array): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let offset = 0;
  while (offset + 4 <= data.length) {
    const length = Number.parseInt(decoder.decode(data.subarray(offset, offset + 4)), 16);
    if (!Number.isFinite(length)) break;
    if (length < 4) {
      offset += 4;
      continue;
    }
    lines.push(data.subarray(offset + 4, offset + length));
    offset += length;
  }
  return lines;
}

async function collect(body: AsyncIterableIterator<Uint8Array> | undefined): Promise<Uint8Array> {
  if (body === undefined) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}
