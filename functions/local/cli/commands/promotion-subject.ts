import { gitSha } from "../../../core/contracts/primitives.js";
import type { PromotionState } from "../../../core/promotion/promotion-state.js";
import { UsageError } from "../command.js";
import { environmentSubject } from "./promotion-cli.js";

/** Options of {@link resolveSubject}. */
export interface ResolveSubjectOptions {
  readonly state: PromotionState;
  /** Where the promotion state is (a directory or a table), for messages. */
  readonly where: string;
  readonly app: string;
  readonly environment: string;
  /** `--commit`, when given. */
  readonly commit?: string;
}

/**
 * The source commit (and, when known, correlation id) a hold or release event carries: `--commit`
 * when given, else the commit the environment runs or was last asked to run. Throws a
 * {@link UsageError} when there is neither.
 *
 * @example
 * ```ts
 * const { commit, correlationId } = await resolveSubject({ state, where, app, environment, commit: values.commit });
 * ```
 */
export async function resolveSubject(
  options: ResolveSubjectOptions,
): Promise<{ readonly commit: string; readonly correlationId?: string }> {
  if (options.commit !== undefined) {
    const parsed = gitSha.safeParse(options.commit);
    if (!parsed.success) {
      throw new UsageError(`--commit '${options.commit}' is not a full git sha: write the 40 hex characters`);
    }
    return { commit: parsed.data };
  }
  const subject = await environmentSubject(options.state, options.app, options.environment);
  if (subject === undefined) {
    throw new UsageError(
      `nothing of ${options.app} is recorded in ${options.environment} (${options.where}); pass --commit <sha> of the source commit the event is about`,
    );
  }
  return subject;
}
