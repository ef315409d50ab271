import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { FileDocumentStore } from "../../adapters/local/file-document-store.js";
import { LocalEventBus } from "../../adapters/local/local-event-bus.js";
import { LocalEventPublisher } from "../../adapters/local/local-event-publisher.js";
import { LocalImageRegistry } from "../../adapters/local/local-image-registry.js";
import { LocalRegistryEventPublisher } from "../../adapters/local/local-registry-event-publisher.js";
import { LocalScanFindings } from "../../adapters/local/local-scan-findings.js";
import type { OciRegistrySite } from "../../adapters/oci/oci-registry-sites.js";
import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import type { CommitPushed } from "../../core/contracts/events/commit-pushed.js";
import type { Clock } from "../../core/ports/clock.js";
import { createWebhookResponder } from "../../handlers/webhook.js";
import { busLayout } from "../bus/bus-layout.js";
import { BusServer } from "../bus/bus-server.js";
import { FunctionUrlServer } from "../function-url/function-url-server.js";
import { LocalGitServer } from "../git-server/local-git-server.js";
import { HarborNotifier } from "../harbor/harbor-notifier.js";
import { LocalHarborApi } from "../harbor/local-harbor-api.js";
import { LocalOidcServer } from "../oidc/local-oidc-server.js";
import { type LocalRegistry, startLocalRegistry } from "../registry/local-registry.js";
import { clearEndpoints, type LocalEndpoints, writeEndpoints } from "./endpoints-file.js";
import { createLocalStepDeps } from "./local-step-deps.js";
import { loadOrCreateSecret } from "./webhook-secret.js";

/** The subject local Shipline workloads (writer, builder, stand-ins) get their tokens as. */
export const LOCAL_WORKLOAD_SUBJECT = "arn:aws:iam::000000000000:role/shipline-local";

/** The subject a developer's own `git push` gets its token as (`shipline git-credential`). */
export const LOCAL_DEVELOPER_SUBJECT = "arn:aws:iam::000000000000:role/shipline-developer";

/** Options of {@link startLocalPlatform}. */
export interface LocalPlatformOptions {
  /** Where every part keeps its files (`.shipline` by default in the CLI). */
  readonly dataDir: string;
  /** Called with every event the bus accepts, e.g. to print the chain live. */
  readonly onEvent?: (event: EventEnvelope) => void;
  /** Called when a part reports an error it could not hand to anyone. */
  readonly onError?: (error: unknown) => void;
  readonly clock?: Clock;
  /**
   * The repositories the configuration names: the webhook publishes pushes of these only.
   * @default - every repository (`shipline dev`, which runs no configuration)
   */
  readonly repositories?: (push: CommitPushed) => boolean;
  /**
   * Makes the embedded registry a Harbor stand-in (`registries: [{ kind: harbor, url: local:registry }]`):
   * its pushes reach the webhook as Harbor's `PUSH_ARTIFACT` with the Harbor auth header, and
   * Harbor's API (artifact labels, vulnerability reports) is served for the robot account.
   * `repositories` tells the Harbor repositories apps' images live in.
   * @default - the registry announces pushes as ECR does
   */
  readonly harbor?: { readonly repositories: (repository: string) => boolean };
  /**
   * The registries of kind oci (`shipline publish`, GitHub's package webhook), by host, given the
   * embedded registry's host: the webhook resolves announced images there, and the embedded
   * registry announces no push of a repository of its own entry (the CI announces them).
   */
  readonly images?: { readonly sites: (embeddedHost: string) => ReadonlyMap<string, OciRegistrySite> };
}

/** The embedded registry as a Harbor stand-in (see {@link LocalPlatformOptions.harbor}). */
export interface LocalHarbor {
  /** Harbor's API stand-in, e.g. `http://127.0.0.1:41234`. */
  readonly apiUrl: string;
  /** The robot account its API accepts. */
  readonly robot: { readonly username: string; readonly password: string };
  /** Posts Harbor's notifications to the webhook. */
  readonly notifier: HarborNotifier;
}

/** The running local platform: every stand-in of DESIGN §5 and its URL. */
export interface LocalPlatform {
  readonly dataDir: string;
  readonly endpoints: LocalEndpoints;
  readonly bus: LocalEventBus;
  readonly publisher: LocalEventPublisher;
  readonly store: FileDocumentStore;
  readonly oidc: LocalOidcServer;
  readonly git: LocalGitServer;
  readonly registry: LocalRegistry;
  /** The secret the git server signs push webhooks with. */
  readonly webhookSecret: string;
  /** The Harbor stand-in, when the platform was started with `harbor`. */
  readonly harbor?: LocalHarbor;
  /** The registries of kind oci by host (see {@link LocalPlatformOptions.images}); empty without. */
  readonly ociRegistries: ReadonlyMap<string, OciRegistrySite>;
  /** The secret CIs sign the "image published" call with, when a registry of kind oci is declared. */
  readonly publishSecret?: string;
  /** Stops every part, in reverse order of start, and clears `endpoints.json`. */
  stop(): Promise<void>;
}

/**
 * Starts the embedded platform: the event bus (and its PutEvents endpoint), the OIDC issuer and
 * token exchange, the git server (pushes need an exchanged token; reads are anonymous), the OCI
 * registry (its pushes become `ECR Image Action` events on the bus, or Harbor's notifications to the
 * webhook with `harbor`), the webhook step behind a
 * Function URL stand-in (the git server's push webhooks go there), and the file-backed store.
 * Writes `<data-dir>/endpoints.json`. Steps are connected to the bus by the caller.
 *
 * @example
 * ```ts
 * const platform = await startLocalPlatform({ dataDir: ".shipline" });
 * console.log(platform.endpoints.git);
 * await platform.stop();
 * ```
 */
export async function startLocalPlatform(options: LocalPlatformOptions): Promise<LocalPlatform> {
  const { dataDir } = options;
  await mkdir(dataDir, { recursive: true });
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error) => options.onError?.(error));
  };
  try {
    const layout = busLayout(dataDir);
    const bus = new LocalEventBus({
      archivePath: layout.archive,
      deadLetterPath: layout.deadLetters,
      pendingPath: layout.pending,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.onError ? { onBusError: options.onError } : {}),
    });
    stops.push(() => bus.close());
    if (options.onEvent) bus.addRule(watchEverything(), async (event) => options.onEvent?.(event), "watch");
    const busServer = new BusServer({ bus });
    const busUrl = await busServer.start();
    stops.push(() => busServer.stop());
    const publisher = new LocalEventPublisher(bus);
    const store = new FileDocumentStore({ directory: join(dataDir, "store") });

    const oidc = new LocalOidcServer({
      dataDir: join(dataDir, "oidc"),
      trustPolicy: [
        { subject: LOCAL_WORKLOAD_SUBJECT, repositories: ["*"], permissions: ["read", "write"] },
        { subject: LOCAL_DEVELOPER_SUBJECT, repositories: ["*"], permissions: ["read", "write"] },
      ],
      defaultSubject: LOCAL_WORKLOAD_SUBJECT,
    });
    const oidcUrl = await oidc.start();
    stops.push(() => oidc.stop());

    let harbor: LocalHarbor | undefined;
    let ociRegistries: ReadonlyMap<string, OciRegistrySite> = new Map();
    const registry = await startLocalRegistry({
      dataDir: join(dataDir, "registry"),
      immutableTags: true,
      onImagePushed: async (event) => {
        // An app of `{ kind: oci, url: local:registry }` has its images announced by its CI.
        if (ociRegistries.get(registry.host)?.repositories(event.detail["repository-name"])) return;
        if (harbor) await harbor.notifier.pushed(event);
        else await bus.putServiceEnvelopes([event]);
      },
      ...(options.onError ? { onError: (error: unknown) => options.onError?.(error) } : {}),
    });
    stops.push(() => registry.close());
    ociRegistries = options.images?.sites(registry.host) ?? new Map();

    const webhookSecret = await loadOrCreateSecret(join(dataDir, "webhook-secret"));
    // CIs sign their announcements with a secret of their own, never the git hosts' webhook secret.
    const publishSecret =
      ociRegistries.size === 0 ? undefined : await loadOrCreateSecret(join(dataDir, "publish-secret"));
    const harborSecret = options.harbor
      ? await loadOrCreateSecret(join(dataDir, "harbor-webhook-secret"))
      : undefined;
    const respond = createWebhookResponder({
      ...createLocalStepDeps({ step: "webhook", publisher }),
      store,
      secrets: { values: async () => [webhookSecret] },
      ...(options.repositories === undefined ? {} : { repositories: options.repositories }),
      ...(options.harbor && harborSecret
        ? {
            harbor: {
              secrets: { values: async () => [harborSecret] },
              events: new LocalRegistryEventPublisher(bus),
              repositories: options.harbor.repositories,
            },
          }
        : {}),
      ...(publishSecret === undefined
        ? {}
        : {
            images: {
              secrets: { values: async () => [publishSecret] },
              events: new LocalRegistryEventPublisher(bus),
              registryOf: (host: string) => {
                const site = ociRegistries.get(host.toLowerCase());
                return site && { repositories: site.repositories, reader: site.client };
              },
            },
          }),
    });
    const functionUrl = new FunctionUrlServer({ handler: respond });
    const webhookUrl = await functionUrl.start();
    stops.push(() => functionUrl.stop());

    if (options.harbor && harborSecret) {
      const robot = {
        username: "robot$shipline-local",
        password: await loadOrCreateSecret(join(dataDir, "harbor-robot-secret")),
      };
      const api = new LocalHarborApi({
        images: new LocalImageRegistry(registry),
        findings: new LocalScanFindings({ store }),
        robot,
      });
      const apiUrl = await api.start();
      stops.push(() => api.stop());
      harbor = {
        apiUrl,
        robot,
        notifier: new HarborNotifier({
          url: () => webhookUrl,
          authHeader: harborSecret,
          registryHost: registry.host,
        }),
      };
    }

    const git = new LocalGitServer({
      rootDir: join(dataDir, "git"),
      tokenVerifier: oidc,
      anonymousRead: true,
      webhooks: [{ url: webhookUrl, secret: webhookSecret }],
      ...(options.onError ? { onError: options.onError } : {}),
    });
    const gitUrl = await git.start();
    stops.push(() => git.stop());

    const endpoints: LocalEndpoints = {
      bus: busUrl,
      git: gitUrl,
      webhook: webhookUrl,
      registry: registry.url,
      oidc: oidcUrl,
      webIdentityToken: oidc.webIdentityTokenEndpoint,
      pid: String(process.pid),
    };
    await writeEndpoints(dataDir, endpoints);
    stops.unshift(() => clearEndpoints(dataDir));

    return {
      dataDir,
      endpoints,
      bus,
      publisher,
      store,
      oidc,
      git,
      registry,
      webhookSecret,
      ...(harbor ? { harbor } : {}),
      ociRegistries,
      ...(publishSecret === undefined ? {} : { publishSecret }),
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

function watchEverything() {
  return {
    name: "runtime-watch",
    description: "Shows every event of the local runtime as it happens",
    bus: "shipline" as const,
    eventPattern: { source: [{ prefix: "" }] },
    target: { kind: "event-log" as const },
    retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
  };
}
