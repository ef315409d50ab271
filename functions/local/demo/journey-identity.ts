import * as z from "zod";
import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { codeBuildVariables } from "./describe-event.js";

/** Which journey an event belongs to, as the live output groups and times them. */
export interface JourneyIdentity {
  /** What ties the journey's events together (the push's correlation id); absent for image events, tied by their repository. */
  readonly key?: string;
  /** The app, when the event names it. */
  readonly app?: string;
  /** `app@sha7` (or `repository@sha7` for a push), when the event names a commit. */
  readonly label?: string;
  /** Commit Pushed: the repository pushed to. */
  readonly repository?: string;
  /** ECR events: the image repository, which the printer ties to its app's latest journey. */
  readonly imageRepository?: string;
}

const detail = z.record(z.string(), z.unknown());
const pushedRepository = z.looseObject({ name: z.string() });

/**
 * The journey of an event: Shipline events by their correlation id (`#2`-style suffixes of retried
 * deliveries ignored), CodeBuild events by the build's `SHIPLINE_*` environment variables, ECR
 * events by their repository.
 *
 * @example
 * ```ts
 * journeyOf(event); // { key: "github:1b2c…", app: "demo", label: "demo@681fa6f" }
 * ```
 */
export function journeyOf(event: EventEnvelope): JourneyIdentity {
  const parsed = detail.safeParse(event.detail);
  const d = parsed.success ? parsed.data : {};
  const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : undefined);
  switch (event["detail-type"]) {
    case "CodeBuild Build State Change": {
      const variables = codeBuildVariables(d);
      return identity(
        variables.get("SHIPLINE_CORRELATION_ID"),
        variables.get("SHIPLINE_APP"),
        variables.get("SHIPLINE_COMMIT"),
      );
    }
    case "ECR Image Action":
    case "ECR Image Scan": {
      const repository = text(d["repository-name"]);
      return repository === undefined ? {} : { imageRepository: repository };
    }
    case "Commit Pushed": {
      const repository = pushedRepository.safeParse(d.repository);
      const name = repository.success ? repository.data.name : undefined;
      const commit = text(d.commit);
      return {
        ...identity(text(d.correlationId), undefined, commit),
        ...(name === undefined ? {} : { repository: name }),
        ...(name === undefined || commit === undefined ? {} : { label: `${name}@${commit.slice(0, 7)}` }),
      };
    }
    default:
      return identity(text(d.correlationId), text(d.app), text(d.commit));
  }
}

function identity(
  correlationId: string | undefined,
  app: string | undefined,
  commit: string | undefined,
): JourneyIdentity {
  return {
    ...(correlationId === undefined ? {} : { key: correlationId.replace(/#\d+$/, "") }),
    ...(app === undefined ? {} : { app }),
    ...(app === undefined || commit === undefined ? {} : { label: `${app}@${commit.slice(0, 7)}` }),
  };
}
