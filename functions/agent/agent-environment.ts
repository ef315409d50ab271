import * as z from "zod";
import { formatIssues } from "../core/contracts/format-issues.js";
import { ShiplineError } from "../core/errors/shipline-error.js";
import { EnvName } from "../core/topology/env-names.js";

/**
 * The environment variables the agent reads; the Helm chart (`functions/agent/chart`) sets them.
 */
export const AgentEnvName = {
  /** The cluster's SQS queue URL. */
  QueueUrl: "SHIPLINE_QUEUE_URL",
  /** The bus outcomes are published to (the same variable the step functions read). */
  EventBusName: EnvName.EventBusName,
  /** The AWS region of the queue and the bus. */
  Region: "AWS_REGION",
  /** Argo CD's API URL. */
  ArgoCdUrl: "ARGOCD_URL",
  /** A file holding the Argo CD API token (mounted from a Secret; re-read on every call, so a rotated token is picked up). */
  ArgoCdTokenFile: "ARGOCD_TOKEN_FILE",
  /** `true` to skip TLS verification of Argo CD (self-signed in-cluster certificates). */
  ArgoCdInsecure: "ARGOCD_INSECURE",
  /** Port of /healthz and /metrics. */
  Port: "AGENT_PORT",
  /** Requests handled at once. */
  Concurrency: "AGENT_CONCURRENCY",
  /** Visibility timeout of a received message, renewed while it is handled. */
  VisibilityTimeoutSeconds: "AGENT_VISIBILITY_TIMEOUT_SECONDS",
  /** Seconds between two reads of an application being verified. */
  PollIntervalSeconds: "AGENT_POLL_INTERVAL_SECONDS",
} as const;

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  [AgentEnvName.QueueUrl]: z.url({ error: "is not set or not a URL; set the cluster queue's URL" }),
  [AgentEnvName.EventBusName]: z.string().trim().min(1, "is not set; set the name of Shipline's bus"),
  [AgentEnvName.Region]: z.string().trim().min(1).optional(),
  [AgentEnvName.ArgoCdUrl]: z.url().default("http://argocd-server.argocd.svc"),
  [AgentEnvName.ArgoCdTokenFile]: z.string().min(1).default("/var/run/secrets/argocd/token"),
  [AgentEnvName.ArgoCdInsecure]: z.enum(["true", "false"]).default("false"),
  [AgentEnvName.Port]: wholeNumber(1, 65_535, 8080),
  [AgentEnvName.Concurrency]: wholeNumber(1, 10, 4),
  [AgentEnvName.VisibilityTimeoutSeconds]: wholeNumber(10, 43_200, 60),
  [AgentEnvName.PollIntervalSeconds]: wholeNumber(1, 300, 5),
});

/** The agent's settings, parsed. */
export interface AgentEnvironment {
  readonly queueUrl: string;
  readonly eventBusName: string;
  readonly region?: string;
  readonly argocdUrl: string;
  readonly argocdTokenFile: string;
  readonly argocdInsecure: boolean;
  readonly port: number;
  readonly concurrency: number;
  readonly visibilityTimeoutSeconds: number;
  readonly pollIntervalSeconds: number;
}

/**
 * Reads the agent's settings once at start; every missing or bad variable is named in one
 * `CONFIG_INVALID` error (values are never echoed).
 *
 * @example
 * ```ts
 * const environment = readAgentEnvironment(process.env);
 * ```
 */
export function readAgentEnvironment(env: Readonly<Record<string, string | undefined>>): AgentEnvironment {
  const picked = Object.fromEntries(
    Object.values(AgentEnvName).map((name) => [name, env[name] || undefined]),
  );
  const result = schema.safeParse(picked);
  if (!result.success) {
    const problems = formatIssues(result.error.issues);
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `The agent's environment is not usable: ${problems.join("; ")}. Set these in the chart's values.`,
      data: { problems },
    });
  }
  const vars = result.data;
  return {
    queueUrl: vars[AgentEnvName.QueueUrl],
    eventBusName: vars[AgentEnvName.EventBusName],
    ...(vars[AgentEnvName.Region] === undefined ? {} : { region: vars[AgentEnvName.Region] }),
    argocdUrl: vars[AgentEnvName.ArgoCdUrl],
    argocdTokenFile: vars[AgentEnvName.ArgoCdTokenFile],
    argocdInsecure: vars[AgentEnvName.ArgoCdInsecure] === "true",
    port: vars[AgentEnvName.Port],
    concurrency: vars[AgentEnvName.Concurrency],
    visibilityTimeoutSeconds: vars[AgentEnvName.VisibilityTimeoutSeconds],
    pollIntervalSeconds: vars[AgentEnvName.PollIntervalSeconds],
  };
}
