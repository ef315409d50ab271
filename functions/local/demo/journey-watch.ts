import * as z from "zod";
import type { EventEnvelope } from "../../core/contracts/event-envelope.js";

/** How a watched journey ended. */
export type JourneyEnd =
  | { readonly kind: "verified"; readonly environment: string }
  | { readonly kind: "stopped"; readonly reason: string };

const detailFields = z.looseObject({
  commit: z.string().nullable().optional(),
  app: z.string().nullable().optional(),
  environment: z.string().optional(),
  reason: z.string().optional(),
  step: z.string().optional(),
  kind: z.string().optional(),
});

/**
 * Watches the bus for the end of one commit's journey: `Deployment Verified` in the target
 * environment, or the first event that stops it (a failed build, a rejected image, a failed
 * deployment, a step's permanent failure).
 *
 * @example
 * ```ts
 * const watch = new JourneyWatch({ commit, environment: "production" });
 * bus.addRule(everything, async (event) => watch.observe(event));
 * const end = await watch.ended;
 * ```
 */
export class JourneyWatch {
  /** Resolves when the journey ends either way. */
  readonly ended: Promise<JourneyEnd>;
  readonly #commit: string;
  readonly #environment: string;
  #resolve: (end: JourneyEnd) => void = () => undefined;

  constructor(options: { readonly commit: string; readonly environment: string }) {
    this.#commit = options.commit;
    this.#environment = options.environment;
    this.ended = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  /** Looks at one event of the bus. */
  observe(event: EventEnvelope): void {
    const parsed = detailFields.safeParse(event.detail);
    if (!parsed.success || parsed.data.commit !== this.#commit) return;
    const detail = parsed.data;
    switch (event["detail-type"]) {
      case "Deployment Verified":
        if (detail.environment === this.#environment && detail.kind !== "revert") {
          this.#resolve({ kind: "verified", environment: this.#environment });
        }
        return;
      case "Build Failed":
      case "Image Rejected":
      case "Image Refused":
      case "Deployment Failed":
        this.#resolve({
          kind: "stopped",
          reason: `${event["detail-type"]}${detail.environment ? ` in ${detail.environment}` : ""}: ${detail.reason ?? "no reason given"}`,
        });
        return;
      case "Step Failed":
        this.#resolve({
          kind: "stopped",
          reason: `${detail.step ?? "a step"} failed: ${detail.reason ?? ""}`,
        });
        return;
      default:
        return;
    }
  }
}
