import { ShiplineError } from "../errors/shipline-error.js";
import { hasControlCharacter } from "./control-character.js";

/**
 * Checks that a file path from configuration stays inside the repository and returns it
 * normalised (`./` and empty segments dropped). Refused with `PATH_OUTSIDE_REPO`: an empty path,
 * an absolute path (`/x`, `C:x`, `//host`), a `..` segment, a backslash, a NUL or other control
 * character, and anything in the `.git` directory (in any letter case, since some file systems ignore it).
 *
 * @example
 * ```ts
 * assertRepoPath("./envs//staging/values.yaml"); // "envs/staging/values.yaml"
 * assertRepoPath("../other/values.yaml"); // throws PATH_OUTSIDE_REPO
 * ```
 */
export function assertRepoPath(path: string): string {
  const refuse = (reason: string): never => {
    throw new ShiplineError({
      code: "PATH_OUTSIDE_REPO",
      message: `path ${JSON.stringify(path)} is not a file inside the repository: ${reason}; write a relative path such as envs/staging/values.yaml`,
      data: { path, reason },
    });
  };
  if (path.length === 0) refuse("it is empty");
  if (hasControlCharacter(path)) refuse("it holds a NUL or control character");
  if (path.includes("\\")) refuse("it holds a backslash");
  if (path.startsWith("/")) refuse("it is absolute");
  if (/^[A-Za-z]:/.test(path)) refuse("it starts with a drive letter");
  const segments = path.split("/").filter((segment) => segment !== "" && segment !== ".");
  if (segments.includes("..")) refuse("it climbs out with '..'");
  if (segments.some((segment) => segment.toLowerCase() === ".git")) refuse("it is inside the .git directory");
  if (segments.length === 0) refuse("it names the repository root, not a file");
  return segments.join("/");
}
