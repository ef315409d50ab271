import { formatDuration } from "../config/duration.js";
import type { EnvironmentConfig } from "../config/environment.js";
import { promotionOrder } from "../config/promotion-order.js";
import type { DeploymentFailed } from "../contracts/events/deployment-failed.js";
import type { DeploymentVerified } from "../contracts/events/deployment-verified.js";
import { appNamed, decideEntry } from "./decide-entry.js";
import { type PlannedDecision, type PromotionContext, planned, skipped } from "./planned-decision.js";
import type { PromotionDue } from "./promotion-due.js";
import type { EnvironmentState } from "./promotion-records.js";
import { reconsiderHeld } from "./reconsider-held.js";

/**
 * Decides, for one trigger, which environments get which image; it reads the promotion state and
 * changes nothing (`runPromotion` carries the decisions out and records them):
 * - `Image Approved`: the first environments (no `promoteFrom`), in promotion order;
 * - `Deployment Verified` in N: each environment promoting from N is scheduled for when N has run
 *   the image for its soak time, or decided now when its soak time is 0;
 * - the soak time elapsing: the image enters if N still runs it and has not taken it out;
 * - `Promotion Approved`: the image enters that environment if the scan gate approved it and, for
 *   an environment with `promoteFrom`, it was verified upstream;
 * - `Hold Released`, or a hold expiring: the newest image the hold kept out is reconsidered;
 * - `Hold Placed`: nothing to decide (the hold is recorded);
 * - `Deployment Failed` in N: every wait of the failed image (soaking, awaiting approval, held) is
 *   cancelled, in N and everywhere else, with the reason; a rollback's verification (kind `revert`)
 *   promotes nothing onward.
 * Each environment's entry follows {@link decideEntry} (holds, no downgrade, approval modes).
 *
 * @example
 * ```ts
 * const plans = await decidePromotion({ trigger, config, state, ancestry, now: clock.now() });
 * plans.map((plan) => plan.decision.outcome); // ["promoted"]
 * ```
 */
export async function decidePromotion(context: PromotionContext): Promise<PlannedDecision[]> {
  const { trigger } = context;
  switch (trigger.kind) {
    case "image-approved": {
      const image = await context.state.image(trigger.detail.app, trigger.detail.digest);
      if (image === undefined) return [];
      const first = promotionOrder(context.config.environments).filter(
        (env) => env.promoteFrom === undefined,
      );
      return sequence(first, (environment) =>
        decideEntry(context, { environment, image, route: "automatic" }),
      );
    }
    case "deployment-verified":
      // A rollback's verification restores what ran before: nothing new moves onward from it.
      if (trigger.detail.kind === "revert") return [];
      return afterVerification(context, trigger.detail, trigger.time);
    case "deployment-failed":
      return cancelFailed(context, trigger.detail);
    case "promotion-due":
      return trigger.detail.reason === "soak-elapsed"
        ? [await afterSoak(context, trigger.detail)]
        : afterHoldExpiry(context, trigger.detail);
    case "promotion-approved":
      return [await afterApproval(context, trigger.detail)];
    case "hold-released":
      return reconsiderHeld(context, trigger.detail.app, trigger.detail.environment);
    case "hold-placed":
      return [];
  }
}

/**
 * The image a verification is about: its digest, else the image promoted into (or deployed in)
 * that environment from the same source commit.
 *
 * @example
 * ```ts
 * const digest = verifiedDigest(detail, await state.environment(detail.app, detail.environment));
 * ```
 */
export function verifiedDigest(detail: DeploymentVerified, state: EnvironmentState): string | undefined {
  if (detail.digest !== undefined) return detail.digest;
  if (state.promoted?.commit === detail.commit) return state.promoted.digest;
  if (state.deployed?.commit === detail.commit) return state.deployed.digest;
  return undefined;
}

async function afterVerification(
  context: PromotionContext,
  detail: DeploymentVerified,
  verifiedAt: Date,
): Promise<PlannedDecision[]> {
  const downstream = promotionOrder(context.config.environments).filter(
    (env) => env.promoteFrom === detail.environment,
  );
  if (downstream.length === 0) return [];
  const digest = verifiedDigest(detail, await context.state.environment(detail.app, detail.environment));
  const image = digest === undefined ? undefined : await context.state.image(detail.app, digest);
  if (image === undefined) {
    const why =
      digest === undefined
        ? `the verification in ${detail.environment} names no image digest and no promoted image has commit ${detail.commit.slice(0, 7)}`
        : `the scan gate never approved ${digest}`;
    return downstream.map((environment) =>
      skipped(context, { ...detail, environment: environment.name, digest }, "unknown-image", why, {}),
    );
  }
  return sequence(downstream, async (environment) => {
    const dueAt = new Date(verifiedAt.getTime() + environment.soakSeconds * 1000);
    if (dueAt.getTime() <= context.now.getTime()) {
      return decideEntry(context, { environment, image, route: "automatic" });
    }
    const subject = {
      app: image.app,
      environment: environment.name,
      digest: image.digest,
      commit: image.commit,
      correlationId: image.correlationId,
    };
    const schedule = {
      id: `soak-elapsed.${image.app}.${environment.name}.${image.digest.replace(/^sha256:/, "")}`,
      at: dueAt,
      reason: "soak-elapsed" as const,
      ...subject,
    };
    return planned(
      context,
      subject,
      {
        outcome: "scheduled",
        dueAt: dueAt.toISOString(),
        reason: `reconsider ${environment.name} at ${dueAt.toISOString()}, once ${detail.environment} has run ${image.tag} for ${formatDuration(environment.soakSeconds)}`,
      },
      {
        schedule,
        pending: {
          ...subject,
          status: "soaking",
          since: context.now.toISOString(),
          dueAt: dueAt.toISOString(),
        },
      },
    );
  });
}

async function afterSoak(context: PromotionContext, due: PromotionDue["detail"]): Promise<PlannedDecision> {
  const subject = { ...due };
  const environment = context.config.environments.find((env) => env.name === due.environment);
  if (environment === undefined) return unknownEnvironment(context, subject);
  const image = due.digest === undefined ? undefined : await context.state.image(due.app, due.digest);
  if (image === undefined) {
    return skipped(
      context,
      subject,
      "unknown-image",
      `the scan gate never approved ${due.digest ?? "the image"}`,
    );
  }
  const upstream = environment.promoteFrom;
  if (upstream !== undefined) {
    const runs = (await context.state.environment(due.app, upstream)).deployed;
    if (runs?.digest !== image.digest) {
      const now = runs === undefined ? "runs no verified image" : `now runs ${runs.tag ?? runs.digest}`;
      return skipped(
        context,
        subject,
        "superseded",
        `${upstream} ${now}: ${image.tag} did not stay there for the soak time of ${environment.name}`,
      );
    }
    const failed = await context.state.failure(due.app, upstream, image.digest);
    if (failed !== undefined) {
      return skipped(
        context,
        subject,
        "failed-upstream",
        `${image.tag} failed in ${upstream} (${failed.reason}); it is never promoted onward from there`,
      );
    }
    const hold = await context.state.activeHold(due.app, upstream, context.now);
    if (hold?.digest === image.digest) {
      return skipped(context, subject, "held-upstream", `${upstream} took ${image.tag} out: ${hold.reason}`);
    }
  }
  return decideEntry(context, { environment, image, route: "automatic" });
}

async function afterHoldExpiry(
  context: PromotionContext,
  due: PromotionDue["detail"],
): Promise<PlannedDecision[]> {
  const hold = await context.state.activeHold(due.app, due.environment, context.now);
  if (hold !== undefined) return [];
  return reconsiderHeld(context, due.app, due.environment);
}

async function afterApproval(
  context: PromotionContext,
  approval: {
    readonly app: string;
    readonly environment: string;
    readonly digest: string;
    readonly commit: string;
    readonly correlationId: string;
    readonly approvedBy: string;
    readonly redeploy?: boolean;
  },
): Promise<PlannedDecision> {
  const { app, digest } = approval;
  const subject = {
    app,
    environment: approval.environment,
    digest,
    commit: approval.commit,
    correlationId: approval.correlationId,
  };
  const environment = context.config.environments.find((env) => env.name === approval.environment);
  if (environment === undefined) return unknownEnvironment(context, subject);
  appNamed(context.config, app);
  const image = await context.state.image(app, digest);
  if (image === undefined) {
    return skipped(
      context,
      subject,
      "not-approved-upstream",
      `${approval.approvedBy} approved ${digest} for ${environment.name}, but the scan gate never approved that image of ${app}`,
      {},
    );
  }
  const upstream = environment.promoteFrom;
  if (upstream !== undefined && !(await context.state.wasVerified(app, upstream, digest))) {
    return skipped(
      context,
      { ...subject, commit: image.commit, correlationId: image.correlationId },
      "not-approved-upstream",
      `${approval.approvedBy} approved ${image.tag} for ${environment.name}, but it was never verified in ${upstream}; promote it there first`,
      {},
    );
  }
  return decideEntry(context, {
    environment,
    image,
    route: "approval",
    ...(approval.redeploy === true ? { redeploy: true } : {}),
  });
}

/** Cancels every wait of an image whose deployment failed, saying why (see {@link decidePromotion}). */
async function cancelFailed(context: PromotionContext, failed: DeploymentFailed): Promise<PlannedDecision[]> {
  const { digest } = failed;
  if (digest === undefined) return [];
  const plans: PlannedDecision[] = [];
  for (const environment of promotionOrder(context.config.environments)) {
    const waiting = (await context.state.pending(failed.app, environment.name)).filter(
      (pending) => pending.digest === digest,
    );
    for (const pending of waiting) {
      const tag = failed.tag ?? digest;
      plans.push(
        skipped(
          context,
          pending,
          environment.name === failed.environment ? "failed-here" : "failed-upstream",
          `cancelled: ${tag} was ${pending.status} for ${environment.name}, but its deployment failed in ${failed.environment} (${failed.reason})`,
        ),
      );
    }
  }
  return plans;
}

function unknownEnvironment(
  context: PromotionContext,
  subject: Parameters<typeof skipped>[1],
): PlannedDecision {
  const known = context.config.environments.map((env) => env.name).join(", ");
  return skipped(
    context,
    subject,
    "unknown-environment",
    `no environment is named '${subject.environment}' (environments: ${known})`,
    {},
  );
}

/** Decides one environment after the other, so that the decisions come in promotion order. */
async function sequence(
  environments: readonly EnvironmentConfig[],
  decide: (environment: EnvironmentConfig) => Promise<PlannedDecision>,
): Promise<PlannedDecision[]> {
  const plans: PlannedDecision[] = [];
  for (const environment of environments) plans.push(await decide(environment));
  return plans;
}
