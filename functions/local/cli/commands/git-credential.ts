import { resolve } from "node:path";
import * as z from "zod";
import { ShiplineError } from "../../../core/errors/shipline-error.js";
import { DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { readEndpoints } from "../../runtime/endpoints-file.js";
import { LOCAL_DEVELOPER_SUBJECT } from "../../runtime/local-platform.js";
import { type Command, UsageError } from "../command.js";
import { parseCommandArgs } from "../parse-command-args.js";

const exchangeAnswer = z.object({ access_token: z.string().min(1), expires_in: z.number().optional() });
const stsAnswer = z.object({ WebIdentityToken: z.string().min(1) });
const oauthError = z.object({ error: z.string(), error_description: z.string().optional() });

/**
 * `shipline git-credential get`: a git credential helper for the local git server. git asks it for
 * credentials (`protocol`, `host`, `path` on standard input); it gets a workload token from the
 * STS stand-in as the developer role, exchanges it for a token scoped to that one repository, and
 * answers `username` / `password`. Other hosts and the `store` / `erase` actions get no answer, so
 * git goes on to its other helpers.
 *
 * @example
 * ```sh
 * git config credential.helper '!shipline git-credential --data-dir /path/.shipline'
 * ```
 */
export const gitCredentialCommand: Command = {
  name: "git-credential",
  summary: "git credential helper: short-lived, repository-scoped tokens for the local git server",
  usage: "shipline git-credential [--data-dir DIR] get|store|erase",
  options: [{ flag: "--data-dir DIR", text: "the local runtime's data directory (default .shipline)" }],
  details: "git runs it: git config credential.helper '!shipline git-credential --data-dir /path/.shipline'",
  async run(args, io) {
    const { values, positionals } = parseFlags(args);
    const action = positionals[0];
    if (action !== "get" && action !== "store" && action !== "erase") {
      throw new UsageError(
        `expected the action get, store or erase, got '${action ?? ""}'; git passes it when it runs the helper`,
      );
    }
    if (action !== "get") return 0;
    const request = parseCredentialRequest(await readAll(io.stdin ?? process.stdin));
    const endpoints = await readEndpoints(resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR));
    const git = new URL(endpoints.git);
    if (request.host !== git.host) return 0;
    const repository = (request.path ?? "").replace(/^\/+/, "").replace(/\.git$/, "");
    if (!repository) {
      throw new UsageError("git sent no repository path; run: git config credential.useHttpPath true");
    }
    const token = await exchangeForRepository(endpoints, repository);
    io.stdout.write(`username=x-access-token\npassword=${token}\n\n`);
    return 0;
  },
};

function parseFlags(args: readonly string[]) {
  return parseCommandArgs(args, { "data-dir": { type: "string" } }, { positionals: true });
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += String(chunk);
  return text;
}

/**
 * Reads git's credential request (`key=value` lines up to a blank line).
 *
 * @example
 * ```ts
 * parseCredentialRequest("protocol=http\nhost=127.0.0.1:8080\npath=demo.git\n\n"); // { protocol, host, path }
 * ```
 */
export function parseCredentialRequest(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (line.trim() === "") break;
    const at = line.indexOf("=");
    if (at > 0) fields[line.slice(0, at)] = line.slice(at + 1).replace(/\r$/, "");
  }
  return fields;
}

/**
 * A short-lived token for one repository of the local git server, as the developer role: a
 * workload token from the STS stand-in, exchanged (RFC 8693) for the repository. Throws
 * `GIT_CREDENTIALS_DENIED` when the runtime refuses (or is not running).
 *
 * @example
 * ```ts
 * const token = await exchangeForRepository(await readEndpoints(dataDir), "demo-config");
 * ```
 */
export async function exchangeForRepository(
  endpoints: { readonly oidc: string; readonly webIdentityToken: string },
  repository: string,
): Promise<string> {
  const sts = await fetch(endpoints.webIdentityToken, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ Audience: ["shipline-token-exchange"], Subject: LOCAL_DEVELOPER_SUBJECT }),
  });
  const workload = stsAnswer.safeParse(await sts.json().catch(() => undefined));
  if (!sts.ok || !workload.success) {
    throw new ShiplineError({
      code: "GIT_CREDENTIALS_DENIED",
      message: `The local STS stand-in refused a workload token (HTTP ${sts.status}); is the local runtime running?`,
      data: { status: sts.status },
    });
  }
  const exchange = await fetch(`${endpoints.oidc}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: workload.data.WebIdentityToken,
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
      audience: repository,
      scope: "read write",
    }),
  });
  const body: unknown = await exchange.json().catch(() => undefined);
  const answer = exchangeAnswer.safeParse(body);
  if (exchange.ok && answer.success) return answer.data.access_token;
  const refusal = oauthError.safeParse(body);
  throw new ShiplineError({
    code: "GIT_CREDENTIALS_DENIED",
    message: `The local token exchange refused a token for '${repository}': ${
      refusal.success
        ? `${refusal.data.error}: ${refusal.data.error_description ?? ""}`
        : `HTTP ${exchange.status}`
    }`,
    data: { repository, status: exchange.status },
  });
}
