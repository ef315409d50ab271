import { join } from "node:path";
import { ArgoCdClient } from "../../adapters/argocd/argocd-client.js";
import { IsomorphicChangedPaths } from "../../adapters/git/changed-paths-isomorphic.js";
import { GitCommitAncestry } from "../../adapters/git/commit-ancestry.js";
import { IsomorphicConfigRepository } from "../../adapters/git/isomorphic-config-repository.js";
import { HarborApiClient } from "../../adapters/harbor/harbor-api-client.js";
import { HarborImageRegistry } from "../../adapters/harbor/harbor-image-registry.js";
import { HarborScanFindings } from "../../adapters/harbor/harbor-scan-findings.js";
import { LocalImageRegistry } from "../../adapters/local/local-image-registry.js";
import { LocalMessageQueue } from "../../adapters/local/local-message-queue.js";
import { LocalPromotionScheduler } from "../../adapters/local/local-promotion-scheduler.js";
import { LocalScanFindings } from "../../adapters/local/local-scan-findings.js";
import { LocalScanTimeoutScheduler } from "../../adapters/local/local-scan-timeout-scheduler.js";
import { PrometheusQueryCheck } from "../../adapters/prometheus/prometheus-query-check.js";
import { AgentMetricChecks } from "../../agent/agent-metric-checks.js";
import { AgentMetrics } from "../../agent/agent-metrics.js";
import { SyncAgent } from "../../agent/sync-agent.js";
import { BuildVariable } from "../../core/build/build-variable.js";
import { isManagedBuild } from "../../core/config/build.js";
import { parseRepoRef } from "../../core/config/repo-ref.js";
import type { ShiplineConfig } from "../../core/config/shipline-config.js";
import { DetailType } from "../../core/contracts/detail-type.js";
import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { imagePushedDetail } from "../../core/contracts/events/image-pushed.js";
import { harborApps } from "../../core/images/harbor-repositories.js";
import { productionEnvironments } from "../../core/ledger/production-environments.js";
import { systemClock } from "../../core/ports/clock.js";
import { clusterObservationRule } from "../../core/topology/cluster-observation-rule.js";
import { clusterQueueRule } from "../../core/topology/cluster-queue-rule.js";
import type { RuleDefinition, StepName } from "../../core/topology/rule-definition.js";
import { rulesForStep } from "../../core/topology/rule-topology.js";
import { writeConfig } from "../../core/writer/write-config.js";
import { makeBuildStatusHandler } from "../../handlers/build-status.js";
import { makeDispatchSyncHandler } from "../../handlers/dispatch-sync.js";
import { createImagePushedHandler } from "../../handlers/image-pushed.js";
import { createLedgerHandler } from "../../handlers/ledger.js";
import { connectLocalNotify } from "../../handlers/notify-local.js";
import { createPromoteHandler } from "../../handlers/promote.js";
import { makeReviewMergedHandler } from "../../handlers/review-merged.js";
import { makeRollbackHandler } from "../../handlers/rollback.js";
import { createScanGateHandler } from "../../handlers/scan-gate.js";
import type { StepDeps } from "../../handlers/shared/create-step-deps.js";
import { makeStartBuildHandler } from "../../handlers/start-build.js";
import { type ArgoCdStandIn, startArgoCdStandIn } from "../argocd/argocd-stand-in.js";
import { LocalBuilder } from "../builder/local-builder.js";
import { CommandScanner } from "../scanner/command-scanner.js";
import { DeclaredFindingsScanner } from "../scanner/declared-findings-scanner.js";
import type { ImageScanner } from "../scanner/image-scanner.js";
import { LocalScanService } from "../scanner/local-scan-service.js";
import { ConfigWriterWorker } from "../writer/config-writer-worker.js";
import { deadLetteredIntent, WRITER_DEAD_LETTER_QUEUE } from "../writer/dead-lettered-intent.js";
import { localPullRequestHost } from "../writer/local-pull-request-host.js";
import { localRepositoryCredentials } from "../writer/local-repository-credentials.js";
import { localLambdaContext } from "./local-lambda-context.js";
import { LOCAL_WORKLOAD_SUBJECT, type LocalPlatform } from "./local-platform.js";
import { createLocalStepDeps } from "./local-step-deps.js";

/** A step handler as middy builds it: an event and a Lambda context in. */
type LambdaHandler = (event: never, context: ReturnType<typeof localLambdaContext>) => Promise<unknown>;

/** Options of {@link connectLocalChain}. */
export interface LocalChainOptions {
  /** The running platform. */
  readonly platform: LocalPlatform;
  /** The parsed `shipline.config.yaml`. */
  readonly config: ShiplineConfig;
  /**
   * A scanner command (`trivy image --format json {image}`); without one, the built-in scanner
   * reads the findings the image declares.
   */
  readonly scannerCommand?: string;
  /** Powertools log level of every step. @default "WARN" */
  readonly logLevel?: "DEBUG" | "INFO" | "WARN" | "ERROR" | "SILENT";
  readonly onError?: (error: unknown) => void;
  /** Where `notify` posts Slack-format messages (a local receiver, or a real incoming webhook). */
  readonly notifyUrl?: string;
  /**
   * How long a newly synced workload has to answer `/health` before the Argo CD stand-in reports
   * it `Degraded`. Keep it below the environments' `verifyDeadline`, or a failing version only
   * fails at the deadline. @default 60000
   */
  readonly readinessTimeoutMs?: number;
}

/** The chain's local parts that callers wait on or stop. */
export interface LocalChain {
  readonly builder: LocalBuilder;
  /** The config repository's FIFO queue of write intents (one message group per repo + branch). */
  readonly writeQueue: LocalMessageQueue;
  /** Resolves a `local:<name>` reference (or a URL) to a clone URL of the local git server. */
  readonly cloneUrlOf: (reference: string) => string;
  /** The Argo CD stand-in of each cluster, by cluster name (what it deploys and serves). */
  readonly argocd: ReadonlyMap<string, ArgoCdStandIn>;
  /** Waits until no build, scan or delivery is in flight. */
  idle(): Promise<void>;
  /** Stops the builder, timers and schedulers. */
  stop(): Promise<void>;
}

/**
 * Connects every step's real handler to the local bus with the same rules CDK deploys, using the
 * local adapters: the builder stands in for CodeBuild, the registry for ECR, the scanner for ECR
 * scanning, timers for EventBridge Scheduler, an in-process FIFO queue for SQS.
 *
 * @example
 * ```ts
 * const platform = await startLocalPlatform({ dataDir });
 * const chain = await connectLocalChain({ platform, config });
 * ```
 */
export async function connectLocalChain(options: LocalChainOptions): Promise<LocalChain> {
  const { platform, config } = options;
  const { bus, store, registry, oidc } = platform;
  const deps = (step: StepName): StepDeps =>
    createLocalStepDeps({
      step,
      publisher: platform.publisher,
      ...(options.logLevel ? { logLevel: options.logLevel } : {}),
    });
  const cloneUrlOf = (reference: string): string => {
    const parsed = parseRepoRef(reference);
    if ("problem" in parsed) return reference;
    return parsed.kind === "local" ? platform.git.cloneUrl(parsed.name) : parsed.url;
  };
  const repositoryNameOf = (reference: string): string => {
    const parsed = parseRepoRef(reference);
    return !("problem" in parsed) && parsed.kind === "local" ? parsed.name : reference;
  };
  const connect = (
    step: StepName,
    handler: LambdaHandler,
    rules: readonly RuleDefinition[] = rulesForStep(step),
  ) => {
    for (const rule of rules) {
      if (rule.target.kind === "bus") continue;
      bus.addRule(rule, async (event: EventEnvelope) => {
        await handler(event as never, localLambdaContext(step));
      });
    }
  };

  const sourceCredentials = (repository: string) =>
    localRepositoryCredentials({ oidc, subject: LOCAL_WORKLOAD_SUBJECT, repository });
  const builder = new LocalBuilder({
    dataDir: join(platform.dataDir, "builder"),
    projects: (name) => {
      const app = config.apps.find((candidate) => candidate.name === name);
      // An app with build: external has no project: its own CI builds it, as on AWS.
      if (!app || !isManagedBuild(app.build)) return undefined;
      return {
        sourceUrl: cloneUrlOf(app.source.repo),
        build: app.build,
        ...(app.chart === undefined ? {} : { chart: app.chart }),
        sourceToken: () =>
          sourceCredentials(repositoryNameOf(app.source.repo))().then((credentials) => credentials.password),
      };
    },
    onStateChange: async (event) => {
      await bus.putServiceEnvelopes([event]);
    },
    // A build resumed after a restart pushes to this run's registry, whose port is new.
    refreshEnvironment: (environment) => {
      const uri = environment[BuildVariable.ImageRepositoryUri];
      const slash = uri?.indexOf("/") ?? -1;
      return uri === undefined || slash === -1
        ? { ...environment }
        : { ...environment, [BuildVariable.ImageRepositoryUri]: `${registry.host}${uri.slice(slash)}` };
    },
  });

  connect(
    "start-build",
    makeStartBuildHandler({
      ...deps("start-build"),
      config,
      store,
      runner: builder,
      projectNameOf: (name) =>
        config.apps.some((app) => app.name === name && isManagedBuild(app.build)) ? name : undefined,
      imageRegistry: registry.host,
      changedPaths: new IsomorphicChangedPaths({ workDir: join(platform.dataDir, "changed-paths") }),
    }),
  );
  connect("build-status", makeBuildStatusHandler({ ...deps("build-status"), store }));
  // The embedded registry stands in for Harbor when the configuration says so: its API is read
  // with the robot account, as on AWS.
  const harbor = platform.harbor;
  const harborApi = harbor
    ? new HarborApiClient({ baseUrl: harbor.apiUrl, credentials: async () => harbor.robot })
    : undefined;
  const scanGate = createScanGateHandler({
    ...deps("scan-gate"),
    store,
    policy: config.scanPolicy,
    sources: {
      ecr: new LocalScanFindings({ store }),
      inspector2: new LocalScanFindings({ store }),
      ...(harborApi ? { harbor: new HarborScanFindings({ clientFor: () => harborApi }) } : {}),
    },
  });
  connect("scan-gate", scanGate);
  const timeouts = new LocalScanTimeoutScheduler({
    store,
    run: (check) => scanGate(check as never, localLambdaContext("scan-gate")),
    ...(options.onError ? { onError: (error: unknown) => options.onError?.(error) } : {}),
  });
  // One reader of the apps' histories: accept.branches here, promote's no-downgrade check below.
  const ancestry = new GitCommitAncestry({
    cacheDir: join(platform.dataDir, "git-cache"),
    resolve: cloneUrlOf,
  });
  connect(
    "image-pushed",
    createImagePushedHandler({
      ...deps("image-pushed"),
      apps: config.apps,
      registry: new LocalImageRegistry(registry),
      store,
      branches: ancestry,
      registryHostOf: () => registry.host,
      scanTimeouts: { scheduler: timeouts, policy: config.scanPolicy },
      ...(platform.ociRegistries.size === 0
        ? {}
        : {
            registries: (host: string) => {
              const site = platform.ociRegistries.get(host.toLowerCase());
              return site && { apps: site.apps, registry: site.client };
            },
          }),
      ...(harborApi
        ? {
            harbor: (host: string) =>
              host === registry.host
                ? { apps: harborApps(config), registry: new HarborImageRegistry(harborApi) }
                : undefined,
          }
        : {}),
    }),
  );

  const scanner: ImageScanner = options.scannerCommand
    ? new CommandScanner({ command: options.scannerCommand })
    : new DeclaredFindingsScanner({ registry });
  const scans = new LocalScanService({
    registry,
    scanner,
    findings: new LocalScanFindings({ store }),
    emit: (event) => (harbor ? harbor.notifier.scanned(event) : bus.putServiceEnvelopes([event])),
    ...(options.onError ? { onScanFailed: (error: unknown) => options.onError?.(error) } : {}),
  });
  // ECR scans on push; locally the scan starts once image-pushed has recorded the image (and armed
  // the scan gate's timeout), so the verdict never waits for the timeout.
  bus.addRule(
    {
      name: "local-scan-on-image-pushed",
      description: "Scan each image Shipline knows, as ECR scan-on-push does",
      bus: "shipline",
      eventPattern: { source: ["shipline"], "detail-type": [DetailType.ImagePushed] },
      target: { kind: "step", step: "scan-gate" },
      retry: { maximumRetryAttempts: 3, maximumEventAgeSeconds: 600 },
    },
    async (event) => {
      const parsed = imagePushedDetail.safeParse(event.detail);
      if (!parsed.success) return;
      const detail = parsed.data;
      await scans.scan({ repository: detail.repository, digest: detail.digest });
    },
    "local-scanner",
  );

  // As on AWS: the writer's intents outlive a restart, and one that keeps failing is dead-lettered
  // after 5 receives, with a Step Failed that says so, instead of being retried forever.
  const queues = join(platform.dataDir, "queues");
  const writeDeadLetters = new LocalMessageQueue({
    name: WRITER_DEAD_LETTER_QUEUE,
    journalFile: join(queues, `${WRITER_DEAD_LETTER_QUEUE}.json`),
    retentionSeconds: 1_209_600,
  });
  const writeQueue = new LocalMessageQueue({
    name: "config-writer.fifo",
    visibilityTimeoutSeconds: 120,
    journalFile: join(queues, "config-writer.fifo.json"),
    redrive: {
      deadLetterQueue: writeDeadLetters,
      maxReceiveCount: 5,
      onMoved: (message) => {
        void platform.publisher
          .publish([deadLetteredIntent(message)])
          .catch((error: unknown) => options.onError?.(error));
      },
    },
  });
  let promote: LambdaHandler | undefined;
  const promotions = new LocalPromotionScheduler({
    store,
    deliver: async (payload) => {
      await promote?.(payload as never, localLambdaContext("promote"));
    },
  });
  promote = createPromoteHandler({
    ...deps("promote"),
    config,
    store,
    ancestry,
    writeQueue,
    schedulerFor: () => promotions,
  });
  connect("promote", promote);

  const writerCredentials = localRepositoryCredentials({
    oidc,
    subject: LOCAL_WORKLOAD_SUBJECT,
    repository: repositoryNameOf(config.configRepo.url),
  });
  const configRepository = new IsomorphicConfigRepository({
    url: cloneUrlOf(config.configRepo.url),
    branch: config.configRepo.branch,
    name: config.configRepo.url,
    dir: join(platform.dataDir, "writer", repositoryNameOf(config.configRepo.url)),
    credentials: writerCredentials,
  });
  const reviewed = config.environments.some((environment) => environment.approval === "pull-request");
  const pullRequests = reviewed
    ? localPullRequestHost({ git: platform.git, repositoryNameOf, credentials: writerCredentials })
    : undefined;
  const writer = new ConfigWriterWorker({
    queue: writeQueue,
    // As the Lambda writer does: an intent that can never be carried out is recorded, not retried.
    onPermanentFailure: async (intents, error) => {
      await platform.publisher.publish(
        intents.map((intent) => ({
          detailType: DetailType.StepFailed,
          detail: {
            app: intent.app,
            commit: intent.commit,
            correlationId: intent.correlationId,
            step: "config-writer",
            code: error.code,
            reason: error.message,
            failedEventId: intent.intentId,
            data: { ...error.data, environment: intent.environment, file: intent.target.file },
          },
        })),
      );
    },

    write: (_group, intents) =>
      writeConfig({
        repo: configRepository,
        intents,
        author: config.configRepo.author,
        messageTemplate: config.configRepo.commitMessage,
        clock: systemClock,
        publisher: platform.publisher,
        ...(pullRequests === undefined ? {} : { pullRequests }),
      }),
    ...(options.onError ? { onError: (error: unknown) => options.onError?.(error) } : {}),
  });
  writer.start();
  // A clone of its own: the writer's may be mid-fetch when a push arrives.
  const observedRepository = new IsomorphicConfigRepository({
    url: cloneUrlOf(config.configRepo.url),
    branch: config.configRepo.branch,
    name: config.configRepo.url,
    dir: join(platform.dataDir, "observer", repositoryNameOf(config.configRepo.url)),
    credentials: writerCredentials,
  });
  connect(
    "review-merged",
    makeReviewMergedHandler({ ...deps("review-merged"), config, repository: observedRepository }),
  );
  // Without a URL (option or SHIPLINE_NOTIFY_URL) notify connects nothing: there is nowhere to post.
  connectLocalNotify({
    bus,
    publisher: platform.publisher,
    ...(options.notifyUrl ? { url: options.notifyUrl } : {}),
  });

  connect(
    "ledger",
    createLedgerHandler({
      ...deps("ledger"),
      store,
      productionEnvironments: productionEnvironments(config.environments),
    }),
  );
  connect("dispatch-sync", makeDispatchSyncHandler({ ...deps("dispatch-sync"), config }));
  connect("rollback", makeRollbackHandler({ ...deps("rollback"), config, writeQueue }));

  // One Argo CD stand-in and one agent per cluster, each long-polling its own queue.
  const configRepoName = repositoryNameOf(config.configRepo.url);
  const clusters: { name: string; argocd: ArgoCdStandIn; agent: SyncAgent; running: Promise<void> }[] = [];
  const agentLog = agentLogger(options.onError);
  for (const cluster of config.clusters) {
    const queue = new LocalMessageQueue({
      name: `cluster-${cluster.name}`,
      visibilityTimeoutSeconds: 60,
      journalFile: join(queues, `cluster-${cluster.name}.json`),
    });
    bus.addRule(
      clusterQueueRule(cluster.name),
      async (event) => {
        await queue.send({ body: JSON.stringify(event) });
      },
      `queue-${cluster.name}`,
    );
    // The holds and waits of the cluster's environments, for the agent's delivery metrics.
    const observations = clusterObservationRule(
      cluster.name,
      config.environments
        .filter((environment) => environment.cluster === cluster.name)
        .map((environment) => environment.name),
    );
    if (observations !== undefined) {
      bus.addRule(
        observations,
        async (event) => {
          await queue.send({ body: JSON.stringify(event) });
        },
        `observations-${cluster.name}`,
      );
    }
    const argocd = await startArgoCdStandIn({
      repoUrl: cloneUrlOf(config.configRepo.url),
      branch: config.configRepo.branch,
      credentials: localRepositoryCredentials({
        oidc,
        subject: LOCAL_WORKLOAD_SUBJECT,
        repository: configRepoName,
      }),
      images: registry,
      dataDir: join(platform.dataDir, "argocd", cluster.name),
      readinessTimeoutMs: options.readinessTimeoutMs ?? 60_000,
    });
    const argocdClient = new ArgoCdClient({
      baseUrl: argocd.url,
      token: async () => "local",
      timeoutMs: 10_000,
    });
    const agent = new SyncAgent({
      queue,
      argocd: argocdClient,
      rollouts: argocdClient,
      publisher: platform.publisher,
      metrics: new AgentMetrics(),
      logger: agentLog,
      waitTimeSeconds: 1,
      pollIntervalMs: 250,
      // Prometheus queries only: a CloudWatch alarm has no answer locally, so its bake fails closed.
      metricChecks: new AgentMetricChecks({ prometheus: new PrometheusQueryCheck({ timeoutMs: 5000 }) }),
      bakeIntervalMs: 250,
    });
    clusters.push({ name: cluster.name, argocd, agent, running: agent.run() });
  }
  // What an earlier run left under way goes on: its checks (soak times, holds, scan timeouts) and
  // its unfinished builds.
  await promotions.resume();
  await timeouts.resume();
  await builder.resume();
  // Deliveries a stop or a crash cut short reach their steps now (at least once, as EventBridge).
  await platform.bus.resumePending();

  return {
    builder,
    writeQueue,
    cloneUrlOf,
    argocd: new Map(clusters.map((cluster) => [cluster.name, cluster.argocd])),
    async idle() {
      await platform.git.idle();
      await bus.drain();
      await builder.idle();
      await timeouts.idle();
      await bus.drain();
    },
    async stop() {
      await writer.stop();
      await builder.stop();
      await timeouts.close();
      promotions.close();
      for (const cluster of clusters) {
        await cluster.agent.stop();
        await cluster.running.catch((error) => options.onError?.(error));
        await cluster.argocd.close();
      }
    },
  };
}

function agentLogger(onError: ((error: unknown) => void) | undefined) {
  return {
    info: () => undefined,
    warn: () => undefined,
    error: (message: string, fields?: Record<string, unknown>) =>
      onError?.(new Error(`agent: ${message}${fields ? ` ${JSON.stringify(fields)}` : ""}`)),
  };
}
