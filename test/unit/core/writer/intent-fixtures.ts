import type { EventPublisher, PublishRequest } from "../../../../functions/core/ports/event-publisher.js";
import {
  type WriteIntent,
  type WriteIntentInput,
  writeIntent,
} from "../../../../functions/core/writer/write-intent.js";

/** A valid update intent; `overrides` replace top-level fields. */
export function anIntent(overrides: Partial<WriteIntentInput> & { tag?: string } = {}): WriteIntent {
  const { tag, ...rest } = overrides;
  return writeIntent.parse({
    intentId: "evt-1",
    kind: "update",
    app: "demo",
    environment: "dev",
    commit: "0123456789abcdef0123456789abcdef01234567",
    correlationId: "corr-1",
    target: { kind: "helm", file: "envs/dev/values.yaml", path: "image.tag" },
    image: { repository: "registry.local/demo", tag: tag ?? "v2", digest: `sha256:${"a".repeat(64)}` },
    ...rest,
  });
}

/** A Helm values file with a comment that must survive edits. */
export const VALUES =
  "# dev\nimage:\n  repository: registry.local/demo\n  tag: v1 # set by Shipline\nreplicas: 2\n";

/** Author and committer of the writer tests' commits. */
export const AUTHOR = { name: "Shipline", email: "shipline@example.test" };

/** A publisher that keeps every request, in order (the writer's events). */
export function recordingPublisher(): EventPublisher & { requests: PublishRequest[] } {
  const requests: PublishRequest[] = [];
  return {
    requests,
    async publish(batch) {
      requests.push(...batch);
      return batch.map((_, index) => ({ eventId: `event-${requests.length - batch.length + index}` }));
    },
  };
}
