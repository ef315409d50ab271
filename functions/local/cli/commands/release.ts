import { randomUUID } from "node:crypto";
import { DetailType } from "../../../core/contracts/detail-type.js";
import type { Command } from "../command.js";
import {
  actorOf,
  checkConfigured,
  checkName,
  parsePromotionArgs,
  promotionStateOf,
  publishToLocalBus,
} from "./promotion-cli.js";
import { resolveSubject } from "./promotion-subject.js";

/**
 * `shipline release <app> <env>`: lifts the hold on the app in the environment, by putting a
 * `Hold Released` event on the running local bus; the promote step then reconsiders the newest
 * image the hold kept out.
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
    "shipline release <app> <env> [--reason TEXT] [--by NAME] [--commit SHA] [--config FILE] [--data-dir DIR] [--store-dir DIR] [--endpoint-url URL]",
  async run(args, io) {
    const { positionals, values } = parsePromotionArgs(args, ["app", "env"], { reason: { type: "string" } });
    const app = checkName("app", positionals[0]);
    const environment = checkName("env", positionals[1]);
    await checkConfigured(io, values.config, app, environment);
    const { dataDir, directory, state } = promotionStateOf(io, values);
    const subject = await resolveSubject({ state, directory, app, environment, commit: values.commit });
    const releasedBy = actorOf(io, values.by);
    const reason = values.reason?.trim();
    const eventId = await publishToLocalBus(
      io,
      { dataDir, endpointUrl: values["endpoint-url"] },
      {
        detailType: DetailType.HoldReleased,
        detail: {
          app,
          commit: subject.commit,
          correlationId: subject.correlationId ?? `release-${randomUUID()}`,
          environment,
          releasedBy,
          ...(reason ? { reason } : {}),
        },
      },
    );
    io.stdout.write(`Hold Released: ${app} in ${environment} by ${releasedBy} (event ${eventId})\n`);
    return 0;
  },
};
