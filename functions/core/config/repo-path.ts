import * as z from "zod";
import { say } from "./say.js";

/**
 * Tells why a path (or glob) written in the config would reach outside its repository, or is
 * unusable there; `undefined` when it is a clean relative path. Paths use `/`, are relative to the
 * repository root and may not contain a `..` segment.
 *
 * @example
 * ```ts
 * checkRepoPath("envs/staging/values.yaml"); // undefined
 * checkRepoPath("../secrets.yaml");          // { message: "'../secrets.yaml' leaves the repository ...", fix: "..." }
 * ```
 */
export function checkRepoPath(path: string): { message: string; fix: string } | undefined {
  if (path.trim() === "") return { message: "is empty", fix: "give a path relative to the repository root" };
  if (path.includes("\0")) return { message: "contains a NUL character", fix: "remove it" };
  if (path.includes("\\")) {
    const forward = path.replaceAll("\\", "/");
    return (
      checkRepoPath(forward) ?? { message: `'${path}' uses '\\'`, fix: `write it with '/': '${forward}'` }
    );
  }
  if (path.startsWith("/") || /^[A-Za-z]:/.test(path) || path.startsWith("~")) {
    return {
      message: `'${path}' is absolute`,
      fix: `write it relative to the repository root, e.g. '${path.replace(/^(?:[A-Za-z]:)?[/~]+/, "")}'`,
    };
  }
  if (path.split("/").includes("..")) {
    return {
      message: `'${path}' leaves the repository through '..'`,
      fix: "point at a path inside the repository",
    };
  }
  return undefined;
}

/**
 * A zod schema for a path relative to a repository root (a file, a directory or a glob), refusing
 * absolute paths and `..`.
 *
 * @example
 * ```ts
 * repoPath("a file such as envs/staging/values.yaml").parse("envs/staging/values.yaml");
 * ```
 */
export function repoPath(example: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? say("is missing", `add ${example}`)
          : say("is not text", `write ${example}`),
    })
    .superRefine((path, ctx) => {
      const problem = checkRepoPath(path);
      if (problem) ctx.addIssue({ code: "custom", message: say(problem.message, problem.fix) });
    });
}
