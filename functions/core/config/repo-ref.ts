import * as z from "zod";
import { say } from "./say.js";

/**
 * Where a git repository lives, parsed from a config value:
 * - `url`: an `https://` URL (or `http://` on a loopback address), as a git client clones it;
 * - `local`: `local:<name>`, a repository of the embedded local runtime, whose server picks its own
 *   port at start; the runtime resolves the name to its URL. The AWS deployment refuses `local:`.
 */
export type RepoRef =
  | { readonly kind: "url"; readonly url: string; readonly key: string }
  | { readonly kind: "local"; readonly name: string; readonly key: string };

const LOCAL = /^local:([A-Za-z0-9][A-Za-z0-9._-]*)$/;

/**
 * Parses a repository reference; `key` is a canonical form for comparing two references (lower case,
 * no `.git` suffix, no trailing slash, no scheme). Returns a problem instead when the value is not a
 * usable reference; credentials written into a URL are refused without echoing them.
 *
 * @example
 * ```ts
 * parseRepoRef("https://github.com/acme/shop.git"); // { kind: "url", url: "...", key: "github.com/acme/shop" }
 * parseRepoRef("local:demo");                       // { kind: "local", name: "demo", key: "local:demo" }
 * ```
 */
export function parseRepoRef(value: string): RepoRef | { readonly problem: string; readonly fix: string } {
  const local = LOCAL.exec(value);
  if (local?.[1]) return { kind: "local", name: local[1], key: `local:${local[1]}` };
  if (value.startsWith("local:")) {
    return {
      problem: `'${value}' is not a local repository name`,
      fix: "write local:<name>, e.g. local:demo",
    };
  }
  const checked = checkUrl(value);
  if ("problem" in checked) return checked;
  const url = checked.url;
  const path = url.pathname.replace(/\/+$/, "").replace(/\.git$/, "");
  if (path === "")
    return { problem: `'${value}' names no repository`, fix: "add the repository path to the URL" };
  return { kind: "url", url: value, key: `${url.host}${path}`.toLowerCase() };
}

/**
 * Checks a URL written in the config: it must parse, use https (plain http only on a loopback
 * address) and carry no credentials (which are refused without being echoed).
 *
 * @example
 * ```ts
 * checkUrl("https://git.example.com/acme/config"); // { url: URL }
 * ```
 */
export function checkUrl(
  value: string,
): { readonly url: URL } | { readonly problem: string; readonly fix: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // A value with '@' may hold a password: name the mistake without repeating it.
    return {
      problem: value.includes("@") ? "the value is not a URL" : `'${value}' is not a URL`,
      fix: "write an https:// URL such as https://github.com/acme/shop.git, or local:<name> for the local runtime",
    };
  }
  if (url.username !== "" || url.password !== "") {
    return {
      problem: "the URL contains credentials",
      fix: "remove them from the URL: Shipline gets short-lived credentials from configRepo.credentials",
    };
  }
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    return {
      problem: `'${url.protocol}//${url.host}' is not https`,
      fix: "use an https:// URL (plain http is accepted only on 127.0.0.1)",
    };
  }
  return { url };
}

/**
 * A zod schema for a repository reference: an https URL or `local:<name>` (see {@link RepoRef}).
 *
 * @example
 * ```ts
 * repoRef.parse("local:demo-config");
 * ```
 */
export const repoRef = z
  .string({
    error: (issue) =>
      say(
        issue.input === undefined ? "is missing" : "is not text",
        "give the repository as an https:// URL or local:<name>",
      ),
  })
  .superRefine((value, ctx) => {
    const parsed = parseRepoRef(value);
    if ("problem" in parsed) ctx.addIssue({ code: "custom", message: say(parsed.problem, parsed.fix) });
  });

/**
 * A zod schema for the URL of a service Shipline calls (a token exchange, an API): an https URL,
 * http on a loopback address, or `local:<name>` for a service of the local runtime.
 *
 * @example
 * ```ts
 * serviceUrl.parse("https://sts.example.com/token");
 * ```
 */
export const serviceUrl = z
  .string({
    error: (issue) =>
      say(issue.input === undefined ? "is missing" : "is not text", "give an https:// URL or local:<name>"),
  })
  .superRefine((value, ctx) => {
    if (LOCAL.test(value)) return;
    const checked = checkUrl(value);
    if ("problem" in checked) ctx.addIssue({ code: "custom", message: say(checked.problem, checked.fix) });
  });
