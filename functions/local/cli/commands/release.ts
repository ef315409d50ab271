import { randomUUID } from "node:crypto";
import { DetailType } from "../../../core/contracts/detail-type.js";
import type { PromotionState } from "../../../core/promotion/promotion-state.js";
import type { Command } from "../command.js";
import { actorOf, COMMON_OPTIONS, checkConfigured, checkName, parsePromotionArgs } from "./promotion-cli.js";
import { resolveSubject } from "./promotion-subject.js";
import { openPromotionTarget } from "./promotion-target.js";

/**
 * `shipline release <app> <env>`: lifts the hold on the app in the environment, by putting a
 * `Hold Released` event on the running local bus, or with `--aws` on Shipline's EventBridge bus;
 * the promote step then reconsiders the newest image the hold kept out.
 *
 * @example
 * ```sh
 * shipline release shop production --reason "freeze over"
 * ```
 */
export const releaseCommand: Command = {
  name: "release",
  summary: "Lift the hold on an app in an environment",
  usage:
    "shipline release <app> <env> [--reason TEXT] [--by NAME] [--commit SHA] [--config FILE] [--data-dir DIR] [--store-dir DIR] [--endpoint-url URL] [--aws [--bus NAME] [--promotion-table NAME]]",
  options: [{ flag: "--reason TEXT", text: "why, recorded with the release" }, ...COMMON_OPTIONS],
  details: "Exit codes: 0 released, 1 failed, 2 bad usage, 3 unknown app or environment.",
  async run(args, io) {
    const { positionals, values } = parsePromotionArgs(args, ["app", "env"], { reason: { type: "string" } });
    const app = checkName("app", positionals[0]);
    const environment = checkName("env", positionals[1]);
    await checkConfigured(io, values.config, app, environment);
    const target = openPromotionTarget(io, values);
    try {
      const { state, where } = target;
      const subject = await resolveSubject({ state, where, app, environment, commit: values.commit });
      const releasedBy = actorOf(io, values.by);
      const reason = values.reason?.trim();
      const eventId = await target.publish({
        detailType: DetailType.HoldReleased,
        detail: {
          app,
          commit: subject.commit,
          correlationId: subject.correlationId ?? `release-${randomUUID()}`,
          environment,
          releasedBy,
          ...(reason ? { reason } : {}),
        },
      });
      io.stdout.write(`Hold Released: ${app} in ${environment} by ${releasedBy} (event ${eventId})\n`);
      io.stdout.write(`${await whatGoesIn(state, app, environment)}\n`);
      return 0;
    } finally {
      target.close();
    }
  },
};

/**
 * What the release lets in, read from the promotion state before promote acts on it: the newest
 * image the hold kept out (an image that failed there never goes back in by itself), or none.
 */
async function whatGoesIn(state: PromotionState, app: string, environment: string): Promise<string> {
  const held = (await state.pending(app, environment)).filter((pending) => pending.status === "held");
  const candidates: { tag: string; at: number }[] = [];
  for (const pending of held) {
    if ((await state.failure(app, environment, pending.digest)) !== undefined) continue;
    const image = await state.image(app, pending.digest);
    candidates.push({
      tag: image?.tag ?? pending.digest,
      at: Date.parse(image?.commitTime ?? pending.since),
    });
  }
  const newest = candidates.sort((left, right) => right.at - left.at)[0];
  return newest === undefined
    ? `No image waits behind the hold: the next image approved for ${environment} goes in.`
    : `${newest.tag}, the newest image the hold kept out, is reconsidered for ${environment} now.`;
}
