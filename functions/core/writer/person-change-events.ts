import type { ShiplineConfig } from "../config/shipline-config.js";
import { DetailType } from "../contracts/detail-type.js";
import type { PublishRequest } from "../ports/event-publisher.js";
import type { ChangedImage, PersonChange } from "./person-changes.js";
import { UNKNOWN_TAG } from "./standing-image.js";

const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;
const MAX_REASON = 1000;

/**
 * The events that record a person's change of a deploy target (DESIGN §7: a person's change wins):
 * - `Hold Placed` on (app, environment), placed by the commit's author with its subject as the
 *   reason, about the journey of the image it took out (so that journey says who moved it and why);
 * - `Config Committed` (`by: person`, `kind: revert` for a revert) naming the image the target holds
 *   now and the one it replaced, so dispatch-sync has the agent sync and verify that revision and
 *   every surface shows what really runs. It belongs to the journey of the image now standing there
 *   when Shipline deployed it before, else to the config commit itself.
 *
 * @example
 * ```ts
 * await publisher.publish(personChangeEvents({ changes, config, time: clock.now() }));
 * ```
 */
export function personChangeEvents(options: {
  readonly changes: readonly PersonChange[];
  readonly config: Pick<ShiplineConfig, "configRepo">;
  readonly time: Date;
}): PublishRequest[] {
  const { config, time } = options;
  return options.changes.flatMap((change): PublishRequest[] => {
    const reverted = journeyOf(change.from, change.configCommit);
    const standing = journeyOf(change.to, change.configCommit);
    const reason =
      change.subject.length > MAX_REASON ? `${change.subject.slice(0, MAX_REASON - 1)}…` : change.subject;
    const hold: PublishRequest<typeof DetailType.HoldPlaced> = {
      detailType: DetailType.HoldPlaced,
      detail: {
        app: change.app,
        commit: reverted.commit,
        correlationId: reverted.correlationId,
        environment: change.environment,
        reason,
        placedBy: change.author,
        // The image the person took out: it does not move onward from here by automation either.
        ...(change.from?.digest !== undefined && DIGEST.test(change.from.digest)
          ? { digest: change.from.digest }
          : {}),
      },
      time,
    };
    if (change.to === undefined) return [hold];
    const committed: PublishRequest<typeof DetailType.ConfigCommitted> = {
      detailType: DetailType.ConfigCommitted,
      detail: {
        app: change.app,
        commit: standing.commit,
        correlationId: standing.correlationId,
        environment: change.environment,
        configRepo: config.configRepo.url,
        branch: config.configRepo.branch,
        configCommit: change.configCommit,
        files: [change.file],
        tag: change.to.tag ?? UNKNOWN_TAG,
        ...(change.to.digest !== undefined && DIGEST.test(change.to.digest)
          ? { digest: change.to.digest }
          : {}),
        intentId: `person.${change.configCommit}.${change.environment}.${change.app}`,
        kind: change.kind,
        by: "person",
        author: change.author,
        subject: change.subject,
        ...(change.from === undefined ? {} : { replaced: imageOf(change.from) }),
      },
      time,
    };
    return [hold, committed];
  });
}

function journeyOf(
  image: ChangedImage | undefined,
  configCommit: string,
): { commit: string; correlationId: string } {
  const commit = image?.sourceCommit;
  if (commit !== undefined && SHA.test(commit)) {
    return { commit, correlationId: image?.correlationId ?? `config-${configCommit}` };
  }
  return { commit: configCommit, correlationId: `config-${configCommit}` };
}

function imageOf(image: ChangedImage): { tag?: string; digest?: string } {
  return {
    ...(image.tag === undefined ? {} : { tag: image.tag }),
    ...(image.digest !== undefined && DIGEST.test(image.digest) ? { digest: image.digest } : {}),
  };
}
