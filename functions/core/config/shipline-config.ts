import * as z from "zod";
import { alerts } from "./alerts.js";
import { app } from "./app.js";
import { cluster } from "./cluster.js";
import { configRepo } from "./config-repo.js";
import { environment } from "./environment.js";
import { registries } from "./registries.js";
import { say } from "./say.js";
import { scanPolicy } from "./scan-policy.js";

const list = <S extends z.ZodType>(item: S, example: string) =>
  z
    .array(item, {
      error: (issue) => say(issue.input === undefined ? "is missing" : "is not a list", `add ${example}`),
    })
    .min(1, { error: say("is an empty list", `add ${example}`) });

/**
 * The whole `shipline.config.yaml` (DESIGN §2), checked key by key. Checks across keys (names,
 * references, cycles, collisions) are made by `parseConfig`, which should be used to read a file.
 *
 * @example
 * ```ts
 * const result = shiplineConfig.safeParse(YAML.parse(text));
 * ```
 */
export const shiplineConfig = z.strictObject({
  /** The file format's version: 1. */
  version: z.literal(1, {
    error: (issue) =>
      say(
        issue.input === undefined ? "is missing" : `${JSON.stringify(issue.input)} is not supported`,
        "write version: 1 at the top",
      ),
  }),
  /** The config repository Shipline commits deployments to. */
  configRepo,
  /** The clusters environments run on. */
  clusters: list(cluster, "clusters: with at least one - name: <cluster>"),
  /** The environments, ordered by `promoteFrom`. */
  environments: list(
    environment,
    "environments: with at least one - name: <environment>, cluster: <cluster>",
  ),
  /** The apps Shipline builds and deploys. */
  apps: list(app, "apps: with at least one app"),
  /** The scan gate's policy; every key has a default. */
  scanPolicy,
  /** Where Shipline's CloudWatch alarms notify; absent, a topic the stack creates, with no subscriber. */
  alerts: alerts.prefault({}),
  /** Registries beyond the deployment's own (Harbor), with how Shipline reads them; default none. */
  registries,
});

/** A validated `shipline.config.yaml`, with defaults filled in and durations in seconds. */
export type ShiplineConfig = z.output<typeof shiplineConfig>;
