import type { AppConfig } from "../config/app.js";
import type { EnvironmentConfig } from "../config/environment.js";
import type { ShiplineConfig } from "../config/shipline-config.js";
import { ShiplineError } from "../errors/shipline-error.js";
import { checkDowngrade } from "./check-downgrade.js";
import {
  type DecisionSubject,
  type PlannedDecision,
  type PromotionContext,
  planned,
  skipped,
} from "./planned-decision.js";
import type { EnvironmentImage, EnvironmentState, ImageRecord } from "./promotion-records.js";
import { promotionIntentId, toWriteIntent } from "./to-write-intent.js";

/**
 * How an image asks to enter an environment: `automatic` (approved by the scan gate for a first
 * environment, soaked upstream, a hold lifted) or `approval` (a person's `Promotion Approved`).
 */
export type EntryRoute = "automatic" | "approval";

/** Options of {@link decideEntry}. */
export interface DecideEntryOptions {
  readonly environment: EnvironmentConfig;
  /** The approved image. */
  readonly image: ImageRecord;
  readonly route: EntryRoute;
  /**
   * An approval that lets an image which failed in this environment in again (`shipline approve
   * --redeploy`); refused for an image that never failed there.
   */
  readonly redeploy?: boolean;
}

/**
 * Decides whether an image enters one environment now, checking in this order:
 * 1. the app has a deploy target there, else `no-deploy-target`;
 * 2. the image did not fail there (`failed-here`; only a `redeploy` approval lets it in again,
 *    and a redeploy of an image that never failed there is `never-failed`) nor in the environment
 *    it is promoted from (`failed-upstream`);
 * 3. the image was not promoted there before and the environment does not run it, else
 *    `already-deployed` (each image enters each environment once);
 * 4. it is not a downgrade of what the environment runs or was last asked to run, else
 *    `would-downgrade`;
 * 5. no hold is in force: a hold stops every automatic entry (the image then waits as `held`, and
 *    is reconsidered when the hold is released or expires); an explicit approval is a person's
 *    decision and passes a hold, unless the hold names this very image (a rollback's hold on the
 *    image it took out), which must be released first;
 * 6. the approval mode: `manual` makes an automatic entry wait for `Promotion Approved`
 *    (`awaiting-approval`); otherwise it is `promoted` with a write intent, committed directly
 *    (`auto`, `manual`) or through a pull request (`pull-request`).
 *
 * @example
 * ```ts
 * const plan = await decideEntry(context, { environment, image, route: "automatic" });
 * ```
 */
export async function decideEntry(
  context: PromotionContext,
  options: DecideEntryOptions,
): Promise<PlannedDecision> {
  const { environment, image, route } = options;
  const env = environment.name;
  const app = appNamed(context.config, image.app);
  const subject: DecisionSubject = {
    app: image.app,
    environment: env,
    digest: image.digest,
    commit: image.commit,
    correlationId: image.correlationId,
  };
  const target = app.deploy[env];
  if (target === undefined) {
    return skipped(
      context,
      subject,
      "no-deploy-target",
      `${app.name} has no deploy target in ${env}; add deploy.${env} to the app to deploy it there`,
    );
  }
  const failedHere = await context.state.failure(app.name, env, image.digest);
  const redeploy = route === "approval" && options.redeploy === true;
  if (redeploy && failedHere === undefined) {
    return skipped(
      context,
      subject,
      "never-failed",
      `--redeploy is for an image whose deployment failed in ${env}; ${image.tag} never failed there: approve it without --redeploy`,
      {},
    );
  }
  if (failedHere !== undefined && !redeploy) {
    return skipped(
      context,
      subject,
      "failed-here",
      `${image.tag} failed in ${env} (config commit ${failedHere.configCommit.slice(0, 7)}: ${failedHere.reason}); automation never brings it back: run 'shipline approve ${app.name} ${env} ${image.digest} --redeploy' to deploy it again`,
    );
  }
  const upstream = environment.promoteFrom;
  const failedUpstream =
    upstream === undefined ? undefined : await context.state.failure(app.name, upstream, image.digest);
  if (failedUpstream !== undefined) {
    return skipped(
      context,
      subject,
      "failed-upstream",
      `${image.tag} failed in ${upstream} (${failedUpstream.reason}); it is never promoted onward from there`,
    );
  }
  const intentId = promotionIntentId(context.trigger.eventId, env);
  const claim = redeploy ? undefined : await context.state.claim(app.name, env, image.digest);
  if (claim !== undefined && claim.intentId !== intentId) {
    return skipped(
      context,
      subject,
      "already-deployed",
      `${image.tag} was already promoted into ${env} (write intent ${claim.intentId}); an image enters an environment once`,
    );
  }
  const current = currentImage(await context.state.environment(app.name, env));
  if (claim === undefined && current?.digest === image.digest) {
    return skipped(
      context,
      subject,
      "already-deployed",
      `${env} already runs ${image.tag} (${image.digest})`,
    );
  }
  const downgrade = await checkDowngrade({
    candidate: image,
    current,
    repo: app.source.repo,
    ancestry: context.ancestry,
  });
  if (downgrade !== undefined) {
    return skipped(context, subject, "would-downgrade", `${image.tag} would downgrade ${env}: ${downgrade}`);
  }
  const hold = await context.state.activeHold(app.name, env, context.now);
  if (hold !== undefined && (route === "automatic" || (hold.digest === image.digest && !redeploy))) {
    const until = hold.expiresAt === undefined ? "until released" : `until ${hold.expiresAt}`;
    const release = `shipline release ${app.name} ${env}`;
    const reason =
      route === "automatic"
        ? `held in ${env}: ${hold.reason} (placed by ${hold.placedBy}, ${until}); it is reconsidered on '${release}'`
        : `the hold in ${env} names this very image: ${hold.reason} (placed by ${hold.placedBy}); run '${release}' before approving it`;
    const pending =
      route === "automatic"
        ? { ...subject, digest: image.digest, status: "held" as const, since: context.now.toISOString() }
        : undefined;
    return skipped(context, subject, "held", reason, pending ? { pending } : {});
  }
  if (route === "automatic" && environment.approval === "manual") {
    return planned(
      context,
      subject,
      {
        outcome: "awaiting-approval",
        reason: `${env} asks for manual approval: run 'shipline approve ${app.name} ${env} ${image.digest}'`,
      },
      {
        pending: {
          ...subject,
          digest: image.digest,
          status: "awaiting-approval",
          since: context.now.toISOString(),
        },
      },
    );
  }
  const mode = environment.approval === "pull-request" ? "pull-request" : "commit";
  const intent = toWriteIntent({ intentId, environment: env, target, image, mode });
  const how = mode === "pull-request" ? "through a pull request" : "by a commit";
  const by = redeploy ? " again, as approved with --redeploy" : route === "approval" ? " as approved" : "";
  return planned(
    context,
    subject,
    { outcome: "promoted", mode, intentId, reason: `promote ${image.tag} into ${env}${by} ${how}` },
    { intent, clearPending: true, ...(redeploy ? { reclaim: true } : {}) },
  );
}

/**
 * What an environment runs, or was last asked to run, whichever happened last: after a rollback
 * the verified (older) image counts, while an image still on its way counts over what it replaces.
 *
 * @example
 * ```ts
 * currentImage({ deployed, promoted })?.digest;
 * ```
 */
export function currentImage(state: EnvironmentState): EnvironmentImage | undefined {
  const { deployed, promoted } = state;
  if (deployed === undefined || promoted === undefined) return deployed ?? promoted;
  return Date.parse(deployed.at) >= Date.parse(promoted.at) ? deployed : promoted;
}

/**
 * The app of that name in the configuration. Throws a permanent `PROMOTION_APP_UNKNOWN` error
 * when there is none (an event about an app the configuration no longer has).
 *
 * @example
 * ```ts
 * const app = appNamed(config, "demo");
 * ```
 */
export function appNamed(config: ShiplineConfig, name: string): AppConfig {
  const app = config.apps.find((candidate) => candidate.name === name);
  if (app === undefined) {
    throw new ShiplineError({
      code: "PROMOTION_APP_UNKNOWN",
      message: `No app is named '${name}' in the configuration (apps: ${config.apps.map((known) => known.name).join(", ")}); add it to apps: or ignore events about it`,
      data: { app: name },
      retryable: false,
    });
  }
  return app;
}
