import { ShiplineError } from "../../core/errors/shipline-error.js";

const SEGMENT = "[A-Za-z0-9_][A-Za-z0-9._-]*";
const NAME = new RegExp(`^${SEGMENT}(/${SEGMENT})?$`);

/**
 * Checks a repository name: `name` or `owner/name`, each part of letters, digits, `.`, `_`, `-`
 * (not starting with `.` or `-`), not ending in `.git` (the server adds it) and without `..`.
 *
 * @example
 * ```ts
 * assertRepositoryName("team/app"); // ok
 * assertRepositoryName("../etc"); // throws REPOSITORY_NAME_INVALID
 * ```
 */
export function assertRepositoryName(name: string): void {
  if (NAME.test(name) && !name.includes("..") && !name.endsWith(".git") && name.length <= 200) return;
  throw new ShiplineError({
    code: "REPOSITORY_NAME_INVALID",
    message: `'${name}' is not a repository name; use 'name' or 'owner/name' with letters, digits, '.', '_' and '-', without a '.git' suffix`,
    data: { name },
  });
}

/** Tells whether a name passes {@link assertRepositoryName}. */
export function isRepositoryName(name: string): boolean {
  try {
    assertRepositoryName(name);
    return true;
  } catch {
    return false;
  }
}
