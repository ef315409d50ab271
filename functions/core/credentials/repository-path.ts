import { ShiplineError } from "../errors/shipline-error.js";

/**
 * The repository part of a git URL: its path without the leading `/`, a trailing `/` or `.git`
 * (`https://github.com/acme/deploy.git` gives `acme/deploy`; a GitLab subgroup gives
 * `group/sub/project`). Throws a permanent `GIT_REPOSITORY_URL_INVALID` for a value that is not an
 * http(s) URL with a path; a URL carrying credentials is refused without being echoed.
 *
 * @example
 * ```ts
 * repositoryPathOf("https://gitlab.com/acme/platform/deploy.git"); // "acme/platform/deploy"
 * ```
 */
export function repositoryPathOf(repoUrl: string): string {
  let url: URL | undefined;
  try {
    url = new URL(repoUrl);
  } catch {
    url = undefined;
  }
  const path =
    url?.pathname
      .replace(/^\/+/, "")
      .replace(/\/+$/, "")
      .replace(/\.git$/, "") ?? "";
  if (url !== undefined && (url.username !== "" || url.password !== "")) {
    throw invalid("the repository URL carries credentials; remove them and configure a credentials provider");
  }
  if (url === undefined || !/^https?:$/.test(url.protocol) || path === "") {
    throw invalid(
      `'${repoUrl.includes("@") ? "(a value with '@')" : repoUrl}' is not an https URL of a repository; write one such as https://github.com/acme/deploy.git`,
    );
  }
  return decodeURIComponent(path);
}

function invalid(message: string): ShiplineError {
  return new ShiplineError({ code: "GIT_REPOSITORY_URL_INVALID", message });
}
