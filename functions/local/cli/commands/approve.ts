import { randomUUID } from "node:crypto";
import { DetailType } from "../../../core/contracts/detail-type.js";
import { gitSha, imageDigest, imageTag } from "../../../core/contracts/primitives.js";
import type { PromotionState } from "../../../core/promotion/promotion-state.js";
import { type Command, NotFoundError, UsageError } from "../command.js";
import {
  actorOf,
  checkConfigured,
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
 * image is not known there). `--redeploy` lets an image whose deployment failed in that
 * environment in again, the one way back for it (automation never brings a failed image back).
 * An app or environment the configuration does not have, an unknown digest, or `--redeploy` of an
 * image that never failed there is refused and nothing is published.
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
    "shipline approve <app> <env> <digest> [--redeploy] [--comment TEXT] [--by NAME] [--commit SHA] [--config FILE] [--data-dir DIR] [--store-dir DIR] [--endpoint-url URL]",
  async run(args, io) {
    const { positionals, values } = parsePromotionArgs(args, ["app", "env", "digest"], {
      comment: { type: "string" },
      redeploy: { type: "boolean" },
    });
    const app = checkName("app", positionals[0]);
    const environment = checkName("env", positionals[1]);
    const wanted = positionals[2] ?? "";
    if (
      !imageDigest.safeParse(wanted).success &&
      !DIGEST_PREFIX.test(wanted) &&
      !imageTag.safeParse(wanted).success
    ) {
      throw new UsageError(
        `<digest> '${wanted}' is not an image digest: write sha256: and its hex characters (at least 7, as shipline status and trace print it) or the image's tag`,
      );
    }
    const commit = values.commit === undefined ? undefined : gitSha.safeParse(values.commit);
    if (commit !== undefined && !commit.success) {
      throw new UsageError(`--commit '${values.commit}' is not a full git sha: write the 40 hex characters`);
    }
    await checkConfigured(io, values.config, app, environment);
    const { dataDir, directory, state } = promotionStateOf(io, values);
    const digest = { data: await resolveDigest({ state, app, wanted, directory }) };
    const image = await state.image(app, digest.data);
    if (image === undefined && commit === undefined) {
      throw new NotFoundError(
        `no approved image ${digest.data} of ${app} is recorded in ${directory}; check the digest (shipline status and shipline trace print it), or pass --commit <sha> of its source commit`,
      );
    }
    const redeploy = values.redeploy === true;
    if (redeploy && (await state.failure(app, environment, digest.data)) === undefined) {
      throw new UsageError(
        `--redeploy is for an image whose deployment failed in ${environment}; ${image?.tag ?? digest.data} never failed there: approve it without --redeploy`,
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
          ...(redeploy ? { redeploy: true } : {}),
        },
      },
    );
    io.stdout.write(
      `Promotion Approved${redeploy ? " (redeploy)" : ""}: ${app} ${image?.tag ?? digest.data} (${digest.data}) into ${environment} by ${approvedBy} (event ${eventId})\n`,
    );
    return 0;
  },
};

const DIGEST_PREFIX = /^sha256:[0-9a-f]{7,63}$/;

/**
 * The full digest a person means: a full digest as it is, else the one approved image of the app
 * whose digest starts with the prefix (`sha256:d4a96ee9443e`, as status and trace print it) or whose
 * tag it is. None is a {@link NotFoundError}; several a {@link UsageError} asking for more characters.
 */
async function resolveDigest(options: {
  readonly state: PromotionState;
  readonly app: string;
  readonly wanted: string;
  readonly directory: string;
}): Promise<string> {
  const { state, app, wanted } = options;
  if (imageDigest.safeParse(wanted).success) return wanted;
  const images = await state.images(app);
  const matches = images.filter((image) =>
    DIGEST_PREFIX.test(wanted) ? image.digest.startsWith(wanted) : image.tag === wanted,
  );
  const [only, ...others] = matches;
  if (only === undefined) {
    throw new NotFoundError(
      `no approved image of ${app} has the ${DIGEST_PREFIX.test(wanted) ? "digest" : "tag"} ${wanted} in ${options.directory}; check it with shipline status or shipline trace`,
    );
  }
  if (others.length > 0) {
    throw new UsageError(
      `'${wanted}' matches ${matches.length} images of ${app} (${matches.map((image) => image.digest.slice(0, 19)).join(", ")}); give more characters`,
    );
  }
  return only.digest;
}
