import { spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createServer, type IncomingHttpHeaders } from "node:http";
import path from "node:path";
import { TOKEN_EXCHANGE } from "../../../functions/local/oidc/token-exchange.js";

/** A request the webhook receiver got. */
export interface ReceivedWebhook {
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** A webhook receiver on 127.0.0.1 that answers 500 to its first `failures` requests, then 204. */
export async function startWebhookReceiver(failures = 0): Promise<{
  url: string;
  received: ReceivedWebhook[];
  stop: () => Promise<void>;
}> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(received.length <= failures ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hooks/github`,
    received,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Output of one git CLI run. */
export interface GitRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Writes a git config for tests (identity, default branch) and returns the environment that makes
 * git use only it and never prompt.
 */
export async function gitEnvironment(home: string): Promise<NodeJS.ProcessEnv> {
  const config = path.join(home, "gitconfig");
  await writeFile(
    config,
    "[user]\n\tname = Test Author\n\temail = author@example.test\n[init]\n\tdefaultBranch = main\n[protocol]\n\tversion = 2\n",
  );
  return {
    PATH: process.env.PATH,
    HOME: home,
    GIT_CONFIG_GLOBAL: config,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_TERMINAL_PROMPT: "0",
    LC_ALL: "C",
  };
}

/**
 * Runs the git CLI. A token is handed over by a credential helper that reads it from the
 * environment, so it appears in no argument, URL or log line.
 */
export function git(
  args: readonly string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; token?: string },
): Promise<GitRun> {
  const helper =
    '!f() { test "$1" = get && echo username=x-access-token && echo "password=$SHIPLINE_TEST_TOKEN"; }; f';
  const fullArgs =
    options.token === undefined
      ? args
      : ["-c", "credential.helper=", "-c", `credential.helper=${helper}`, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn("git", fullArgs, {
      cwd: options.cwd,
      env: { ...options.env, ...(options.token === undefined ? {} : { SHIPLINE_TEST_TOKEN: options.token }) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Posts an RFC 8693 exchange for one repository and returns the status and JSON answer. */
export async function requestRepositoryToken(
  tokenEndpoint: string,
  subjectToken: string,
  repository: string,
  scope?: string,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(tokenEndpoint, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: TOKEN_EXCHANGE.grantType,
      subject_token: subjectToken,
      subject_token_type: TOKEN_EXCHANGE.jwt,
      audience: repository,
      ...(scope === undefined ? {} : { scope }),
    }),
  });
  const body: unknown = await response.json();
  return { status: response.status, body: typeof body === "object" && body !== null ? { ...body } : {} };
}
