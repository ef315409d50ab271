import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/** One entry of a GitHub `Validation Failed` answer's `errors`. */
export interface ValidationIssue {
  readonly resource: "PullRequest";
  readonly code: "custom" | "invalid" | "missing_field";
  readonly field?: string;
  readonly message: string;
}

/** The errors of the local pull request API and the HTTP status GitHub answers for each. */
export const PULL_REQUEST_ERROR_STATUS = {
  PULL_REQUEST_REPOSITORY_NOT_FOUND: 404,
  PULL_REQUEST_NOT_FOUND: 404,
  PULL_REQUEST_REQUEST_INVALID: 422,
  PULL_REQUEST_VALIDATION_FAILED: 422,
  PULL_REQUEST_NOT_MERGEABLE: 405,
  PULL_REQUEST_MERGE_METHOD_NOT_ALLOWED: 405,
  PULL_REQUEST_HEAD_MODIFIED: 409,
  PULL_REQUEST_REPOSITORY_AMBIGUOUS: 409,
} as const;

/** Code of an error the pull request API answers with a GitHub status. */
export type PullRequestErrorCode = keyof typeof PULL_REQUEST_ERROR_STATUS;

/** The body GitHub sends for each error, where it is a fixed text. */
const API_MESSAGE: Partial<Record<PullRequestErrorCode, string>> = {
  PULL_REQUEST_REPOSITORY_NOT_FOUND: "Not Found",
  PULL_REQUEST_NOT_FOUND: "Not Found",
  PULL_REQUEST_VALIDATION_FAILED: "Validation Failed",
  PULL_REQUEST_NOT_MERGEABLE: "Pull Request is not mergeable",
  PULL_REQUEST_HEAD_MODIFIED: "Head branch was modified. Review and try the merge again.",
};

const issues = z.array(
  z.object({
    resource: z.string(),
    code: z.string(),
    field: z.string().optional(),
    message: z.string(),
  }),
);

/**
 * A {@link ShiplineError} the pull request API turns into GitHub's answer (see
 * {@link pullRequestApiAnswer}); `message` is for callers of the server's methods and logs.
 *
 * @example
 * ```ts
 * throw pullRequestError("PULL_REQUEST_NOT_FOUND", "pull request #7 of 'config' does not exist; list them to find its number", { number: 7 });
 * ```
 */
export function pullRequestError(
  code: PullRequestErrorCode,
  message: string,
  data: Readonly<Record<string, unknown>> = {},
): ShiplineError {
  return new ShiplineError({ code, message, data: { ...data, status: PULL_REQUEST_ERROR_STATUS[code] } });
}

/**
 * GitHub's `422 Validation Failed`, with `errors` naming what was refused.
 *
 * @example
 * ```ts
 * throw validationFailed(`head branch 'x' does not exist in 'config'; push it first`, [{ resource: "PullRequest", code: "invalid", field: "head", message: "head branch 'x' does not exist" }]);
 * ```
 */
export function validationFailed(message: string, errors: readonly ValidationIssue[]): ShiplineError {
  return pullRequestError("PULL_REQUEST_VALIDATION_FAILED", message, { errors });
}

/**
 * The HTTP status and JSON body GitHub would answer for an error of the pull request API, or
 * `undefined` for any other error (a failure of the server itself).
 *
 * @example
 * ```ts
 * const answer = pullRequestApiAnswer(error);
 * if (answer) sendJson(res, answer.status, answer.body);
 * ```
 */
export function pullRequestApiAnswer(
  error: unknown,
): { status: number; body: Record<string, unknown> } | undefined {
  if (!(error instanceof ShiplineError) || !isPullRequestErrorCode(error.code)) return undefined;
  const status = PULL_REQUEST_ERROR_STATUS[error.code];
  const message = API_MESSAGE[error.code] ?? error.message;
  const listed = issues.safeParse(error.data.errors);
  return {
    status,
    body: {
      message,
      ...(listed.success ? { errors: listed.data } : {}),
      documentation_url: "https://docs.github.com/rest/pulls/pulls",
      status: String(status),
    },
  };
}

function isPullRequestErrorCode(code: string): code is PullRequestErrorCode {
  return Object.hasOwn(PULL_REQUEST_ERROR_STATUS, code);
}
