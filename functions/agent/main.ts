import { readFile } from "node:fs/promises";
import { Logger } from "@aws-lambda-powertools/logger";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { SQSClient } from "@aws-sdk/client-sqs";
import { CloudWatchAlarmCheck } from "../adapters/aws/cloudwatch-alarm-check.js";
import { EventBridgePublisher } from "../adapters/aws/eventbridge-publisher.js";
import { SqsWriteQueue } from "../adapters/aws/sqs-write-queue.js";
import { PrometheusQueryCheck } from "../adapters/prometheus/prometheus-query-check.js";
import { readAgentEnvironment } from "./agent-environment.js";
import { AgentMetricChecks } from "./agent-metric-checks.js";
import { AgentMetrics } from "./agent-metrics.js";
import { startAgentServer } from "./agent-server.js";
import { createArgoCdAdapter } from "./argocd-adapter.js";
import { SyncAgent } from "./sync-agent.js";

/**
 * The agent's process: reads its settings, then polls the cluster queue until SIGTERM or SIGINT,
 * when it stops polling, releases what it was watching and exits. AWS credentials come from the
 * SDK's default chain: EKS Pod Identity (container credentials) or IRSA (web identity token),
 * whichever the ServiceAccount is set up for. Argo CD is reached as `ARGOCD_MODE` says: by default
 * through the Kubernetes API with the same ServiceAccount's projected token, so nothing long-lived
 * sits in the cluster.
 */
async function main(): Promise<void> {
  const logger = new Logger({ serviceName: "shipline-agent" });
  const environment = readAgentEnvironment(process.env);
  const region = environment.region === undefined ? {} : { region: environment.region };
  const metrics = new AgentMetrics();
  const argocd = await createArgoCdAdapter({
    connection: environment.argocd,
    readFile: (file) => readFile(file),
  });
  // One CloudWatch client per region: the agent's own, and that of each alarm named by ARN.
  const cloudwatchClients = new Map<string, CloudWatchClient>();
  const cloudwatchFor = (alarmRegion: string | undefined): CloudWatchClient => {
    const key = alarmRegion ?? "";
    const client =
      cloudwatchClients.get(key) ??
      new CloudWatchClient(alarmRegion === undefined ? region : { region: alarmRegion });
    cloudwatchClients.set(key, client);
    return client;
  };
  const agent = new SyncAgent({
    queue: new SqsWriteQueue({ client: new SQSClient(region), queueUrl: environment.queueUrl }),
    argocd,
    rollouts: argocd,
    publisher: new EventBridgePublisher({
      client: new EventBridgeClient(region),
      busName: environment.eventBusName,
    }),
    metricChecks: new AgentMetricChecks({
      prometheus: new PrometheusQueryCheck(),
      cloudwatch: new CloudWatchAlarmCheck({ clientFor: cloudwatchFor }),
    }),
    metrics,
    logger: {
      info: (message, fields) => logger.info(message, { ...fields }),
      warn: (message, fields) => logger.warn(message, { ...fields }),
      error: (message, fields) => logger.error(message, { ...fields }),
    },
    concurrency: environment.concurrency,
    visibilityTimeoutSeconds: environment.visibilityTimeoutSeconds,
    pollIntervalMs: environment.pollIntervalSeconds * 1000,
  });
  const server = await startAgentServer({ health: () => agent.health(), metrics, port: environment.port });
  const stop = (signal: string) => {
    logger.info("Stopping", { signal });
    void agent.stop();
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
  logger.info("Agent started", {
    queueUrl: environment.queueUrl,
    argocd:
      environment.argocd.mode === "kubernetes"
        ? `Application resources in namespace ${environment.argocd.namespace} (Kubernetes API ${environment.argocd.apiServer})`
        : `Argo CD API ${environment.argocd.url}`,
    health: server.url,
  });
  await agent.run();
  await server.close();
  logger.info("Agent stopped");
}

main().catch((error: unknown) => {
  process.stderr.write(`shipline agent: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
