import { randomUUID } from "node:crypto";
import { formatDuration, parseDuration } from "../../../core/config/duration.js";
import { DetailType } from "../../../core/contracts/detail-type.js";
import { imageDigest } from "../../../core/contracts/primitives.js";
import { type Command, UsageError } from "../command.js";
import { actorOf, COMMON_OPTIONS, checkConfigured, checkName, parsePromotionArgs } from "./promotion-cli.js";
import { resolveSubject } from "./promotion-subject.js";
import { openPromotionTarget } from "./promotion-target.js";

/**
 * `shipline hold <app> <env> --reason TEXT [--expires 2h]`: stops automatic promotion of the app
 * into the environment, by putting a `Hold Placed` event on the running local bus, or with `--aws`
 * on Shipline's EventBridge bus (the promote step records holds from that event, on AWS as
 * locally). The hold lasts until `shipline release` or, with `--expires`, until then.
 *
 * @example
 * ```sh
 * shipline hold shop production --reason "change freeze" --expires 2d
 * ```
 */
export const holdCommand: Command = {
  name: "hold",
  summary: "Stop automatic promotion of an app into an environment",
  usage:
    "shipline hold <app> <env> --reason TEXT [--expires DURATION] [--digest DIGEST] [--by NAME] [--commit SHA] [--config FILE] [--data-dir DIR] [--store-dir DIR] [--endpoint-url URL] [--aws [--bus NAME] [--promotion-table NAME]]",
  options: [
    { flag: "--reason TEXT", text: "why promotion stops (required)" },
    {
      flag: "--expires DURATION",
      text: "lift the hold by itself after this long, e.g. 2h (default: until released)",
    },
    { flag: "--digest DIGEST", text: "hold only this image (sha256: and 64 hex characters)" },
    ...COMMON_OPTIONS,
  ],
  details: "Exit codes: 0 placed, 1 failed, 2 bad usage, 3 unknown app or environment.",
  async run(args, io) {
    const { positionals, values } = parsePromotionArgs(args, ["app", "env"], {
      reason: { type: "string" },
      expires: { type: "string" },
      digest: { type: "string" },
    });
    const app = checkName("app", positionals[0]);
    const environment = checkName("env", positionals[1]);
    await checkConfigured(io, values.config, app, environment);
    const reason = values.reason?.trim();
    if (!reason)
      throw new UsageError("--reason is required: say why promotion stops, e.g. --reason 'change freeze'");
    const seconds = values.expires === undefined ? undefined : parseDuration(values.expires);
    if (values.expires !== undefined && (seconds === undefined || seconds <= 0)) {
      throw new UsageError(`--expires '${values.expires}' is not a duration: write e.g. 30m, 2h or 1d`);
    }
    if (values.digest !== undefined && !imageDigest.safeParse(values.digest).success) {
      throw new UsageError(
        `--digest '${values.digest}' is not an image digest: write sha256: and 64 lower-case hex characters`,
      );
    }
    const target = openPromotionTarget(io, values);
    try {
      const { state, where } = target;
      const subject = await resolveSubject({ state, where, app, environment, commit: values.commit });
      const placedBy = actorOf(io, values.by);
      const expiresAt =
        seconds === undefined ? undefined : new Date(Date.now() + seconds * 1000).toISOString();
      const eventId = await target.publish({
        detailType: DetailType.HoldPlaced,
        detail: {
          app,
          commit: subject.commit,
          correlationId: subject.correlationId ?? `hold-${randomUUID()}`,
          environment,
          reason,
          placedBy,
          ...(values.digest === undefined ? {} : { digest: values.digest }),
          ...(expiresAt === undefined ? {} : { expiresAt }),
        },
      });
      const until =
        seconds === undefined ? "until released" : `for ${formatDuration(seconds)} (until ${expiresAt})`;
      io.stdout.write(`Hold Placed: ${app} in ${environment} ${until} by ${placedBy} (event ${eventId})\n`);
      return 0;
    } finally {
      target.close();
    }
  },
};
