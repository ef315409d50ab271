import * as z from "zod";
import { pullRequestError } from "./pull-request-error.js";

/** The body of `POST /repos/{owner}/{repo}/pulls`. */
export interface CreatePullRequestInput {
  readonly title: string;
  /** `branch` or `owner:branch`. */
  readonly head: string;
  readonly base: string;
  readonly body: string | null;
}

/** The body of `PATCH /repos/{owner}/{repo}/pulls/{number}`: only what is given changes. */
export interface UpdatePullRequestInput {
  readonly title?: string;
  readonly body?: string | null;
  readonly base?: string;
  readonly state?: "open" | "closed";
}

/** The body of `PUT /repos/{owner}/{repo}/pulls/{number}/merge`. */
export interface MergePullRequestInput {
  /** @default "merge" */
  readonly method: "merge" | "squash" | "rebase";
  /** The head commit the caller reviewed; the merge is refused when the branch moved since. */
  readonly sha?: string;
  readonly commitTitle?: string;
  readonly commitMessage?: string;
}

/** The query of `GET /repos/{owner}/{repo}/pulls`. */
export interface ListPullRequestsQuery {
  readonly state: "open" | "closed" | "all";
  /** `owner:branch` or `branch`. */
  readonly head?: string;
  readonly base?: string;
  readonly perPage: number;
  readonly page: number;
}

const text = z.string();
const createBody = z.object({
  title: text.min(1),
  head: text.min(1),
  base: text.min(1),
  body: text.nullable().optional(),
});
const updateBody = z.object({
  title: text.min(1).optional(),
  body: text.nullable().optional(),
  base: text.min(1).optional(),
  state: z.enum(["open", "closed"]).optional(),
});
const mergeBody = z.object({
  merge_method: z.enum(["merge", "squash", "rebase"]).optional(),
  sha: z
    .string()
    .regex(/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/)
    .optional(),
  commit_title: text.optional(),
  commit_message: text.optional(),
});
const listQuery = z.object({
  state: z.enum(["open", "closed", "all"]).default("open"),
  head: text.min(1).optional(),
  base: text.min(1).optional(),
  per_page: z.coerce.number().int().min(1).max(100).default(30),
  page: z.coerce.number().int().min(1).default(1),
});

/**
 * Checks the body of a create call, answering GitHub's 422 `Invalid request` naming the field.
 *
 * @example
 * ```ts
 * const input = parseCreatePullRequest({ title: "Deploy", head: "feature", base: "main" });
 * ```
 */
export function parseCreatePullRequest(body: unknown): CreatePullRequestInput {
  const parsed = checked(createBody, body);
  return { title: parsed.title, head: parsed.head, base: parsed.base, body: parsed.body ?? null };
}

/**
 * Checks the body of an update call.
 *
 * @example
 * ```ts
 * const input = parseUpdatePullRequest({ state: "closed" });
 * ```
 */
export function parseUpdatePullRequest(body: unknown): UpdatePullRequestInput {
  const parsed = checked(updateBody, body);
  return {
    ...(parsed.title === undefined ? {} : { title: parsed.title }),
    ...(parsed.body === undefined ? {} : { body: parsed.body }),
    ...(parsed.base === undefined ? {} : { base: parsed.base }),
    ...(parsed.state === undefined ? {} : { state: parsed.state }),
  };
}

/**
 * Checks the body of a merge call (an empty body merges with a merge commit).
 *
 * @example
 * ```ts
 * const input = parseMergePullRequest({ merge_method: "squash" });
 * ```
 */
export function parseMergePullRequest(body: unknown): MergePullRequestInput {
  const parsed = checked(mergeBody, body ?? {});
  return {
    method: parsed.merge_method ?? "merge",
    ...(parsed.sha === undefined ? {} : { sha: parsed.sha }),
    ...(parsed.commit_title === undefined ? {} : { commitTitle: parsed.commit_title }),
    ...(parsed.commit_message === undefined ? {} : { commitMessage: parsed.commit_message }),
  };
}

/**
 * Checks the query of a list call: `state` (default `open`), `head`, `base`, `per_page` (1-100,
 * default 30) and `page`.
 *
 * @example
 * ```ts
 * const query = parseListPullRequests(new URLSearchParams("head=local:feature&state=open&per_page=1"));
 * ```
 */
export function parseListPullRequests(search: URLSearchParams): ListPullRequestsQuery {
  const parsed = checked(listQuery, Object.fromEntries(search));
  return {
    state: parsed.state,
    ...(parsed.head === undefined ? {} : { head: parsed.head }),
    ...(parsed.base === undefined ? {} : { base: parsed.base }),
    perPage: parsed.per_page,
    page: parsed.page,
  };
}

function checked<T>(schema: z.ZodType<T>, value: unknown): T {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw pullRequestError(
      "PULL_REQUEST_REQUEST_INVALID",
      "Invalid request.\n\nThe body must be a JSON object; send the fields as one JSON object.",
    );
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join(".") || "body";
  const supplied = Object.hasOwn(value, field);
  const problem = supplied
    ? `For '${field}', ${shown(Reflect.get(value, field))} is not valid: ${issue?.message ?? "invalid"}.`
    : `"${field}" wasn't supplied.`;
  throw pullRequestError("PULL_REQUEST_REQUEST_INVALID", `Invalid request.\n\n${problem}`, { field });
}

function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
