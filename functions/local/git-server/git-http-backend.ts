import { type ChildProcess, spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { parseCgiHead } from "./cgi-response.js";
import { runGit } from "./run-git.js";

/** Largest CGI header block accepted before the response is treated as broken. */
const MAX_HEAD_BYTES = 64 * 1024;

/**
 * Finds the `git-http-backend` program of the installed git (`$(git --exec-path)/git-http-backend`).
 *
 * @example
 * ```ts
 * const backend = await locateGitHttpBackend(); // e.g. <exec-path>/git-http-backend
 * ```
 */
export async function locateGitHttpBackend(): Promise<string> {
  const { stdout } = await runGit({ args: ["--exec-path"] });
  return path.join(stdout.trim(), "git-http-backend");
}

/** Options for {@link runGitHttpBackend}. */
export interface GitHttpBackendOptions {
  /** Path of the `git-http-backend` program. */
  readonly backend: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** `GIT_PROJECT_ROOT`: the directory of the bare repositories. */
  readonly projectRoot: string;
  /** `PATH_INFO`: `/<repo>.git/...`. */
  readonly pathInfo: string;
  /** `QUERY_STRING`, without `?`. */
  readonly queryString: string;
  /** `REMOTE_USER`, the authenticated subject, if any. */
  readonly remoteUser?: string;
  /** More variables for git and its hooks. */
  readonly extraEnv?: Readonly<Record<string, string>>;
  /** Receives each child while it runs, so the server can end it on stop. */
  readonly track?: (child: ChildProcess) => () => void;
}

/** How a CGI run ended. */
export interface GitHttpBackendResult {
  /** HTTP status sent to the client. */
  readonly status: number;
  /** Exit code of `git-http-backend` (null when killed). */
  readonly exitCode: number | null;
  /** What it wrote to stderr (for logs). */
  readonly stderr: string;
}

/**
 * Runs the real `git http-backend` as a CGI program for one request: the request body streams to
 * its stdin (gzip bodies stay compressed, with `HTTP_CONTENT_ENCODING` set, as git inflates them
 * itself), its header block becomes the HTTP status and headers, and the rest streams to the client.
 *
 * @example
 * ```ts
 * await runGitHttpBackend({ backend, req, res, projectRoot, pathInfo: "/app.git/info/refs", queryString: "service=git-upload-pack" });
 * ```
 */
export function runGitHttpBackend(options: GitHttpBackendOptions): Promise<GitHttpBackendResult> {
  const { req, res } = options;
  const child = spawn(options.backend, [], { env: cgiEnvironment(options), stdio: ["pipe", "pipe", "pipe"] });
  const untrack = options.track?.(child) ?? (() => {});
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString("utf8");
  });
  child.stdin.on("error", () => {
    // git-http-backend may exit before reading the whole body (e.g. on a bad request); its own
    // response says why, so a broken stdin pipe is not an error of its own.
  });
  req.pipe(child.stdin);
  req.once("aborted", () => child.kill("SIGTERM"));
  res.once("close", () => {
    if (!res.writableFinished) child.kill("SIGTERM");
  });

  return new Promise((resolve, reject) => {
    let head: Buffer = Buffer.alloc(0);
    let status = 502;
    let headWritten = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headWritten) return;
      head = Buffer.concat([head, chunk]);
      const parsed = parseCgiHead(head);
      if (!parsed) {
        if (head.length > MAX_HEAD_BYTES) child.kill("SIGTERM");
        return;
      }
      headWritten = true;
      status = parsed.status;
      res.statusCode = parsed.status;
      res.statusMessage = parsed.statusText;
      for (const [name, value] of parsed.headers) res.appendHeader(name, value);
      const rest = head.subarray(parsed.bodyOffset);
      if (rest.length > 0) res.write(rest);
      child.stdout.pipe(res);
    });
    child.once("error", (error) => {
      untrack();
      reject(
        new ShiplineError({
          code: "GIT_HTTP_BACKEND_FAILED",
          message: `git-http-backend could not be started at ${options.backend}; check that git is installed`,
          cause: error,
        }),
      );
    });
    child.once("close", (exitCode) => {
      untrack();
      if (!headWritten && !res.headersSent) {
        status = 502;
        res.writeHead(502, { "content-type": "text/plain; charset=utf-8" });
        res.end("git-http-backend ended without a response\n");
      } else if (!res.writableEnded) {
        res.end();
      }
      resolve({ status, exitCode, stderr });
    });
  });
}

function cgiEnvironment(options: GitHttpBackendOptions): NodeJS.ProcessEnv {
  const headers = options.req.headers;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    ...(process.env.HOME === undefined ? {} : { HOME: process.env.HOME }),
    GATEWAY_INTERFACE: "CGI/1.1",
    SERVER_PROTOCOL: `HTTP/${options.req.httpVersion}`,
    SERVER_SOFTWARE: "shipline-local-git",
    GIT_PROJECT_ROOT: options.projectRoot,
    GIT_HTTP_EXPORT_ALL: "1",
    PATH_INFO: options.pathInfo,
    QUERY_STRING: options.queryString,
    REQUEST_METHOD: options.req.method ?? "GET",
    REMOTE_ADDR: options.req.socket.remoteAddress ?? "127.0.0.1",
    ...(options.remoteUser === undefined ? {} : { REMOTE_USER: options.remoteUser, AUTH_TYPE: "Basic" }),
    ...(headers["content-type"] === undefined ? {} : { CONTENT_TYPE: headers["content-type"] }),
    ...(headers["content-length"] === undefined ? {} : { CONTENT_LENGTH: headers["content-length"] }),
    ...(headers["content-encoding"] === undefined
      ? {}
      : { HTTP_CONTENT_ENCODING: headers["content-encoding"] }),
    ...(headers["git-protocol"] === undefined ? {} : { HTTP_GIT_PROTOCOL: String(headers["git-protocol"]) }),
    ...(headers["user-agent"] === undefined ? {} : { HTTP_USER_AGENT: headers["user-agent"] }),
    ...options.extraEnv,
  };
  return env;
}
