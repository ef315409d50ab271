import { randomUUID } from "node:crypto";
import { DetailType } from "../../../core/contracts/detail-type.js";
import { gitSha, imageDigest } from "../../../core/contracts/primitives.js";
import { type Command, UsageError } from "../command.js";
import {
  actorOf,
  checkName,
  parsePromotionArgs,
  promotionStateOf,
  publishToLocalBus,
} from "./promotion-cli.js";

/**
 * `shipline approve <app> <env> <digest>`: approves an image for an environment that asks for
 * manual approval, by putting a `Promotion Approved` event on the running local bus; the promote
 * step then promotes it if the image passed upstream and is not a downgrade. The event carries the
 * image's source commit and journey, read from the local promotion state (`--commit` when the
 * image is not known there).
 *
 * @example
 * ```sh
 * shipline approve shop production sha256:4f1c... --comment "release 1.4"
 * ```
 */
export const approveCommand: Command = {
  name: "approve",
  summary: "Approve an image for an environment with manual approval",
  usage:
    "shipline approve <app> <env> <digest> [--comment TEXT] [--by NAME] [--commit SHA] [--data-dir DIR] [--store-dir DIR] [--endpoint-url URL]",
  async run(args, io) {
    const { positionals, values } = parsePromotionArgs(args, ["app", "env", "digest"], {
      comment: { type: "string" },
    });
    const app = checkName("app", positionals[0]);
    const environment = checkName("env", positionals[1]);
    const digest = imageDigest.safeParse(positionals[2]);
    if (!digest.success) {
      throw new UsageError(
        `<digest> '${positionals[2] ?? ""}' is not an image digest: write sha256: and 64 lower-case hex characters`,
      );
    }
    const commit = values.commit === undefined ? undefined : gitSha.safeParse(values.commit);
    if (commit !== undefined && !commit.success) {
      throw new UsageError(`--commit '${values.commit}' is not a full git sha: write the 40 hex characters`);
    }
    const { dataDir, directory, state } = promotionStateOf(io, values);
    const image = await state.image(app, digest.data);
    if (image === undefined && commit === undefined) {
      throw new UsageError(
        `no approved image ${digest.data} of ${app} is recorded in ${directory}; check the digest, or pass --commit <sha> of its source commit`,
      );
    }
    const approvedBy = actorOf(io, values.by);
    const eventId = await publishToLocalBus(
      io,
      { dataDir, endpointUrl: values["endpoint-url"] },
      {
        detailType: DetailType.PromotionApproved,
        detail: {
          app,
          commit: commit?.data ?? image?.commit ?? "",
          correlationId: image?.correlationId ?? `approve-${randomUUID()}`,
          environment,
          digest: digest.data,
          approvedBy,
          ...(values.comment === undefined ? {} : { comment: values.comment }),
        },
      },
    );
    io.stdout.write(
      `Promotion Approved: ${app} ${digest.data} into ${environment} by ${approvedBy} (event ${eventId})\n`,
    );
    return 0;
  },
};
