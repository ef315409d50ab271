import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One answer the receiver gives, in order; the last one repeats. */
export interface ScriptedAnswer {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A request the receiver got. */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly contentType: string | undefined;
  readonly body: string;
}

/**
 * A local stand-in of a Slack incoming webhook (or any receiver of notifications): an HTTP server on
 * 127.0.0.1 and a free port that records every request and answers from a script.
 */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  #answers: ScriptedAnswer[] = [{ status: 200, body: "ok" }];
  #server: Server | undefined;
  #waiters: (() => void)[] = [];

  /** Answers the next requests with these, in order; the last one repeats. */
  answer(...answers: ScriptedAnswer[]): void {
    this.#answers = answers;
  }

  /** Starts listening; resolves with the receiver's URL (with a secret-looking path, as Slack's). */
  async start(): Promise<string> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on("data", (chunk: Buffer) => chunks.push(chunk));
      request.on("end", () => {
        this.requests.push({
          method: request.method ?? "",
          path: request.url ?? "",
          contentType: request.headers["content-type"],
          body: Buffer.concat(chunks).toString("utf8"),
        });
        const answer = this.#answers.length > 1 ? this.#answers.shift() : this.#answers[0];
        response.writeHead(answer?.status ?? 200, { "content-type": "text/plain", ...answer?.headers });
        response.end(answer?.body ?? "");
        for (const wake of this.#waiters.splice(0)) wake();
      });
    });
    this.#server = server;
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/services/T000/B000/s3cr3tPathToken`;
  }

  /** Resolves once the receiver has got `count` requests. */
  async received(count: number): Promise<ReceivedRequest[]> {
    while (this.requests.length < count) await new Promise<void>((wake) => this.#waiters.push(wake));
    return this.requests;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((done) => server.close(() => done()));
  }
}
