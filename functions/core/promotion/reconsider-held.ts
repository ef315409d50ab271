import { decideEntry } from "./decide-entry.js";
import { type PlannedDecision, type PromotionContext, skipped } from "./planned-decision.js";
import type { PendingPromotion } from "./promotion-records.js";

/**
 * Reconsiders the images a hold kept out of an environment, once the hold is released or has
 * expired: the newest of them (by commit time, else by when it was held) asks to enter again, as
 * an automatic promotion; the older ones are `superseded` by it.
 *
 * @example
 * ```ts
 * const plans = await reconsiderHeld(context, "demo", "production");
 * ```
 */
export async function reconsiderHeld(
  context: PromotionContext,
  app: string,
  environmentName: string,
): Promise<PlannedDecision[]> {
  const environment = context.config.environments.find((env) => env.name === environmentName);
  const waiting = (await context.state.pending(app, environmentName)).filter(
    (pending) => pending.status === "held",
  );
  const failures = await Promise.all(
    waiting.map((pending) => context.state.failure(app, environmentName, pending.digest)),
  );
  const held = waiting.filter((_, index) => failures[index] === undefined);
  if (environment === undefined || held.length === 0) return [];
  const images = await Promise.all(held.map((pending) => context.state.image(app, pending.digest)));
  const candidates = held
    .map((pending, index) => ({ pending, image: images[index] }))
    .sort((a, b) => heldOrder(b.pending, b.image?.commitTime) - heldOrder(a.pending, a.image?.commitTime));
  const plans: PlannedDecision[] = [];
  const [newest, ...older] = candidates;
  if (newest !== undefined) {
    plans.push(
      newest.image === undefined
        ? skipped(
            context,
            newest.pending,
            "unknown-image",
            `the scan gate never approved ${newest.pending.digest}`,
          )
        : await decideEntry(context, { environment, image: newest.image, route: "automatic" }),
    );
  }
  for (const { pending, image } of older) {
    const newer = newest?.image?.tag ?? newest?.pending.digest ?? "a newer image";
    plans.push(
      skipped(
        context,
        pending,
        "superseded",
        `${image?.tag ?? pending.digest} was held out of ${environmentName}; the newer ${newer} was reconsidered instead`,
      ),
    );
  }
  return plans;
}

function heldOrder(pending: PendingPromotion, commitTime: string | undefined): number {
  return Date.parse(commitTime ?? pending.since);
}
