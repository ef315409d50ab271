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
  /**
   * How the agent reaches Argo CD: `kubernetes` (the default) reads and patches `Application`
   * resources through the Kubernetes API with the pod's ServiceAccount token; `api-token` calls
   * Argo CD's API server with a token from a Secret.
   */
  ArgoCdMode: "ARGOCD_MODE",
  /** `kubernetes` mode: Argo CD's namespace, where its Applications live. */
  ArgoCdNamespace: "ARGOCD_NAMESPACE",
  /** `kubernetes` mode: the API server's address, set by the kubelet in every pod. */
  KubernetesServiceHost: "KUBERNETES_SERVICE_HOST",
  /** `kubernetes` mode: the API server's HTTPS port, set by the kubelet in every pod. */
  KubernetesServicePort: "KUBERNETES_SERVICE_PORT",
  /** `api-token` mode: Argo CD's API URL. */
  ArgoCdUrl: "ARGOCD_URL",
  /** `api-token` mode: a file holding the Argo CD API token (mounted from a Secret; re-read on every call, so a rotated token is picked up). */
  ArgoCdTokenFile: "ARGOCD_TOKEN_FILE",
  /** `api-token` mode: `true` to skip TLS verification of Argo CD (self-signed in-cluster certificates). */
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

/** Where the kubelet mounts the pod's ServiceAccount token (projected, rotated) and the cluster's CA. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The modes of {@link AgentEnvName.ArgoCdMode}. */
export const ARGOCD_MODES = ["kubernetes", "api-token"] as const;

const wholeNumber = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const schema = z.object({
  [AgentEnvName.QueueUrl]: z.url({ error: "is not set or not a URL; set the cluster queue's URL" }),
  [AgentEnvName.EventBusName]: z.string().trim().min(1, "is not set; set the name of Shipline's bus"),
  [AgentEnvName.Region]: z.string().trim().min(1).optional(),
  [AgentEnvName.ArgoCdMode]: z.enum(ARGOCD_MODES).default("kubernetes"),
  [AgentEnvName.ArgoCdNamespace]: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, "is not a Kubernetes namespace name")
    .default("argocd"),
  [AgentEnvName.KubernetesServiceHost]: z.string().trim().min(1).optional(),
  [AgentEnvName.KubernetesServicePort]: wholeNumber(1, 65_535, 443),
  [AgentEnvName.ArgoCdUrl]: z.url().default("http://argocd-server.argocd.svc"),
  [AgentEnvName.ArgoCdTokenFile]: z.string().min(1).default("/var/run/secrets/argocd/token"),
  [AgentEnvName.ArgoCdInsecure]: z.enum(["true", "false"]).default("false"),
  [AgentEnvName.Port]: wholeNumber(1, 65_535, 8080),
  [AgentEnvName.Concurrency]: wholeNumber(1, 10, 4),
  [AgentEnvName.VisibilityTimeoutSeconds]: wholeNumber(10, 43_200, 60),
  [AgentEnvName.PollIntervalSeconds]: wholeNumber(1, 300, 5),
});

/** How the agent reaches Argo CD, per {@link AgentEnvName.ArgoCdMode}. */
export type ArgoCdConnection =
  | {
      readonly mode: "kubernetes";
      /** `https://<KUBERNETES_SERVICE_HOST>:<KUBERNETES_SERVICE_PORT>`. */
      readonly apiServer: string;
      readonly namespace: string;
      /** The projected ServiceAccount token, re-read on every request. */
      readonly tokenFile: string;
      /** The cluster's CA certificate. */
      readonly caFile: string;
    }
  | {
      readonly mode: "api-token";
      readonly url: string;
      readonly tokenFile: string;
      readonly insecure: boolean;
    };

/** The agent's settings, parsed. */
export interface AgentEnvironment {
  readonly queueUrl: string;
  readonly eventBusName: string;
  readonly region?: string;
  readonly argocd: ArgoCdConnection;
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
  const result = schema
    .superRefine((vars, context) => {
      if (
        vars[AgentEnvName.ArgoCdMode] === "kubernetes" &&
        vars[AgentEnvName.KubernetesServiceHost] === undefined
      ) {
        context.addIssue({
          code: "custom",
          path: [AgentEnvName.KubernetesServiceHost],
          message: `is not set, which the kubelet does in every pod; run the agent in the cluster or set ${AgentEnvName.ArgoCdMode}=api-token`,
        });
      }
    })
    .safeParse(picked);
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
    argocd: connectionOf(vars),
    port: vars[AgentEnvName.Port],
    concurrency: vars[AgentEnvName.Concurrency],
    visibilityTimeoutSeconds: vars[AgentEnvName.VisibilityTimeoutSeconds],
    pollIntervalSeconds: vars[AgentEnvName.PollIntervalSeconds],
  };
}

function connectionOf(vars: z.output<typeof schema>): ArgoCdConnection {
  if (vars[AgentEnvName.ArgoCdMode] === "api-token") {
    return {
      mode: "api-token",
      url: vars[AgentEnvName.ArgoCdUrl],
      tokenFile: vars[AgentEnvName.ArgoCdTokenFile],
      insecure: vars[AgentEnvName.ArgoCdInsecure] === "true",
    };
  }
  const host = vars[AgentEnvName.KubernetesServiceHost] ?? "";
  // An IPv6 service address goes in brackets in a URL.
  const authority = host.includes(":") ? `[${host}]` : host;
  return {
    mode: "kubernetes",
    apiServer: `https://${authority}:${vars[AgentEnvName.KubernetesServicePort]}`,
    namespace: vars[AgentEnvName.ArgoCdNamespace],
    tokenFile: `${SERVICE_ACCOUNT_DIR}/token`,
    caFile: `${SERVICE_ACCOUNT_DIR}/ca.crt`,
  };
}
