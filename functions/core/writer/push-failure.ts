import { ShiplineError } from "../errors/shipline-error.js";

/**
 * The error of a push to a config repository's branch that did not land: `refused` when the git
 * host declined the update itself (a hook, a branch protection, permissions; permanent, with the
 * host's own words), else rejected `attempts` times because the branch kept moving (retryable: the
 * batch is tried again).
 *
 * @example
 * ```ts
 * throw pushFailure({ repository: repo.name, branch, reason: pushed.reason, refused: true });
 * ```
 */
export function pushFailure(options: {
  readonly repository: string;
  readonly branch: string;
  readonly reason: string;
  readonly refused?: boolean;
  readonly attempts?: number;
}): ShiplineError {
  const { repository, branch, reason, refused, attempts } = options;
  return refused
    ? new ShiplineError({
        code: "PUSH_REFUSED",
        message: `${repository} refused the push to ${branch}: ${reason}; the host declined the update itself (a hook, a branch protection or permissions), so trying again changes nothing: fix it on the host, then send the intents again`,
        data: { repository, branch, reason },
      })
    : new ShiplineError({
        code: "PUSH_REJECTED",
        message: `the push to ${repository} ${branch} was rejected ${attempts} times (${reason}): the branch keeps moving; the batch will be tried again`,
        data: { repository, branch, attempts, reason },
        retryable: true,
      });
}
