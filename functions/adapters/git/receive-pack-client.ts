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
  /** The capabilities the host advertised at the last ref discovery. */
  private capabilities = new Set<string>();

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
    let advertised = false;
    for (const line of pktLines(body)) {
      const text = decoder.decode(line).replace(/\n$/, "");
      const [refPart, capabilities] = text.split("\0");
      if (!advertised && capabilities !== undefined) {
        this.capabilities = new Set(capabilities.split(" ").filter((capability) => capability !== ""));
        advertised = true;
      }
      const [oid, name] = (refPart ?? "").split(" ");
      if (name === ref && oid !== undefined && oid !== ZERO_OID) return oid;
    }
    return undefined;
  }

  /**
   * Sends the ref update and the pack; resolves with git's verdict on the ref. When the host offers
   * `side-band-64k` (learnt by {@link remoteHead}) its messages come back too, so a refusal carries
   * the host's own words (a hook's output, a branch protection's explanation) after git's reason.
   */
  async push(update: {
    readonly ref: string;
    readonly oldOid: string;
    readonly newOid: string;
    readonly pack: Uint8Array;
  }): Promise<ReceivePackResult> {
    const sideBand = this.capabilities.has("side-band-64k");
    const capabilities = ["report-status", ...(sideBand ? ["side-band-64k"] : []), "agent=shipline"];
    const command = `${update.oldOid} ${update.newOid} ${update.ref}\0 ${capabilities.join(" ")}\n`;
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
    const { report, messages } = sideBand ? demultiplex(answer) : { report: answer, messages: "" };
    const lines = pktLines(report).map((line) => decoder.decode(line).replace(/\n$/, ""));
    const unpack = lines.find((line) => line.startsWith("unpack "));
    const status = lines.find(
      (line) => line.startsWith(`ok ${update.ref}`) || line.startsWith(`ng ${update.ref}`),
    );
    if (unpack === "unpack ok" && status?.startsWith("ok ")) return { ok: true };
    const reason =
      unpack !== "unpack ok"
        ? (unpack ?? "no report from the server")
        : (status?.slice(`ng ${update.ref} `.length) ?? "the ref was not reported");
    return { ok: false, reason: messages === "" ? reason : `${reason} (the host said: ${messages})` };
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

/** Most characters of the host's messages kept in a refusal's reason. */
const MAX_MESSAGES = 2000;

/**
 * Splits a `side-band-64k` answer: band 1 carries the report (itself a pkt-line stream), bands 2
 * (progress, where hooks' output goes) and 3 (a fatal error) the host's messages, answered as one
 * line with the `remote:` noise and blank lines left out.
 */
function demultiplex(answer: Uint8Array): { readonly report: Uint8Array; readonly messages: string } {
  const report: Uint8Array[] = [];
  let messages = "";
  for (const line of pktLines(answer)) {
    const band = line[0];
    if (band === 1) report.push(line.subarray(1));
    else if (band === 2 || band === 3) messages += decoder.decode(line.subarray(1));
  }
  const text = messages
    .split(/[\r\n]+/)
    .map((part) => part.replace(/^remote:\s*/, "").trim())
    .filter((part) => part !== "")
    .join("; ");
  return {
    report: Buffer.concat(report),
    messages: text.length > MAX_MESSAGES ? `${text.slice(0, MAX_MESSAGES)}…` : text,
  };
}

async function collect(body: AsyncIterableIterator<Uint8Array> | undefined): Promise<Uint8Array> {
  if (body === undefined) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}
