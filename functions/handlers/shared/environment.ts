import * as z from "zod";
import { formatIssues } from "../../core/contracts/format-issues.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { DEFAULT_METRICS_NAMESPACE, EnvName } from "../../core/topology/env-names.js";

/** Where the step's `shipline.config.yaml` comes from. */
export type ConfigSource =
  /** A file in the function bundle. */
  | { readonly kind: "file"; readonly path: string }
  /** The configuration inline, as a JSON object in a string. */
  | { readonly kind: "json"; readonly json: string };

/** The environment of a step's function, parsed. */
export interface StepEnvironment {
  /** The bus the step publishes to ({@link EnvName.EventBusName}). */
  readonly eventBusName: string;
  /** Powertools' service name, when set ({@link EnvName.ServiceName}). */
  readonly serviceName?: string;
  /** The metrics namespace ({@link EnvName.MetricsNamespace}). @default "Shipline" */
  readonly metricsNamespace: string;
  /** Where the configuration is ({@link EnvName.ConfigFile} or {@link EnvName.ConfigJson}). */
  readonly config?: ConfigSource;
  /** The ledger table ({@link EnvName.LedgerTable}). */
  readonly ledgerTable?: string;
  /** The idempotency table ({@link EnvName.IdempotencyTable}). */
  readonly idempotencyTable?: string;
}

/** A setting a step cannot run without, beyond the bus every step needs. */
export type EnvironmentNeed = "config" | "ledgerTable" | "idempotencyTable";

/** The environment with the needed settings guaranteed present. */
export type EnvironmentFor<N extends EnvironmentNeed> = StepEnvironment & {
  readonly [K in N]-?: NonNullable<StepEnvironment[K]>;
};

/** Options of {@link readEnvironment}. */
export interface ReadEnvironmentOptions<N extends EnvironmentNeed> {
  /** The variables to read. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Settings this step cannot run without. @default - only the bus */
  readonly needs?: readonly N[];
}

const setting = z
  .string({ error: (issue) => (issue.input === undefined ? "is not set" : "must be a string") })
  .trim()
  .min(1, "is set but empty");

const jsonObject = setting.refine(
  isJsonObject,
  "is not a JSON object; give the configuration as one JSON object",
);

/**
 * Reads and checks a step's environment once, at cold start. Every missing or bad variable is
 * named in one `CONFIG_INVALID` error, so a deployment is fixed in one go. Values are never echoed
 * (a variable may hold something secret).
 *
 * @example
 * ```ts
 * const environment = readEnvironment({ needs: ["config", "idempotencyTable"] });
 * environment.idempotencyTable; // string
 * ```
 */
export function readEnvironment<const N extends EnvironmentNeed = never>(
  options: ReadEnvironmentOptions<N> = {},
): EnvironmentFor<N> {
  const env = options.env ?? process.env;
  const needs = new Set<EnvironmentNeed>(options.needs ?? []);
  const schema = z.object({
    [EnvName.EventBusName]: setting,
    [EnvName.ServiceName]: setting.optional(),
    [EnvName.MetricsNamespace]: setting.optional(),
    [EnvName.ConfigFile]: setting.optional(),
    [EnvName.ConfigJson]: jsonObject.optional(),
    [EnvName.LedgerTable]: needs.has("ledgerTable") ? setting : setting.optional(),
    [EnvName.IdempotencyTable]: needs.has("idempotencyTable") ? setting : setting.optional(),
  });
  const result = schema.safeParse(pick(env));
  const problems = [
    ...(result.success ? [] : formatIssues(result.error.issues)),
    ...configProblems(env, needs.has("config")),
  ];
  if (!result.success || problems.length > 0) {
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `The function's environment is not usable: ${problems.join("; ")}. Set these variables on the function (infra/ names them with EnvName).`,
      data: { problems },
      retryable: false,
    });
  }
  const vars = result.data;
  const file = vars[EnvName.ConfigFile];
  const json = vars[EnvName.ConfigJson];
  const environment: StepEnvironment = {
    eventBusName: vars[EnvName.EventBusName],
    serviceName: vars[EnvName.ServiceName],
    metricsNamespace: vars[EnvName.MetricsNamespace] ?? DEFAULT_METRICS_NAMESPACE,
    config:
      file !== undefined
        ? { kind: "file", path: file }
        : json !== undefined
          ? { kind: "json", json }
          : undefined,
    ledgerTable: vars[EnvName.LedgerTable],
    idempotencyTable: vars[EnvName.IdempotencyTable],
  };
  if (!hasNeeds<N>(environment, needs)) {
    // Unreachable: the schema above required every needed variable.
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `The function's environment lacks ${[...needs].join(", ")}`,
      data: { needs: [...needs] },
    });
  }
  return environment;
}

/** Narrows the environment to one whose needed settings are present. */
function hasNeeds<N extends EnvironmentNeed>(
  environment: StepEnvironment,
  needs: ReadonlySet<EnvironmentNeed>,
): environment is EnvironmentFor<N> {
  return [...needs].every((need) => environment[need] !== undefined);
}

/** Exactly one configuration source when the step needs one, and never both. */
function configProblems(env: Readonly<Record<string, string | undefined>>, needed: boolean): string[] {
  const file = env[EnvName.ConfigFile];
  const json = env[EnvName.ConfigJson];
  if (file !== undefined && json !== undefined) {
    return [`${EnvName.ConfigJson}: is set together with ${EnvName.ConfigFile}; set only one of them`];
  }
  if (needed && file === undefined && json === undefined) {
    return [
      `${EnvName.ConfigFile}: is not set; set ${EnvName.ConfigFile} (a path in the bundle) or ${EnvName.ConfigJson}`,
    ];
  }
  return [];
}

/** Only the variables Shipline reads, so that the rest of the environment never reaches an error. */
function pick(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const picked: Record<string, string | undefined> = {};
  for (const name of Object.values(EnvName)) picked[name] = env[name];
  return picked;
}

function isJsonObject(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value);
  } catch {
    return false;
  }
}
