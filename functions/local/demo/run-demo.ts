import type { Writable } from "node:stream";
import { loadConfigFile } from "../../adapters/local/config-file-loader.js";
import { promotionOrder } from "../../core/config/promotion-order.js";
import type { ShiplineConfig } from "../../core/config/shipline-config.js";
import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { LedgerReader } from "../../core/ledger/ledger-reader.js";
import { configuredRepositories } from "../../core/webhook/configured-repositories.js";
import { terminalStyle } from "../cli/terminal-style.js";
import { connectLocalChain } from "../runtime/local-chain.js";
import { localHarborOption } from "../runtime/local-harbor-option.js";
import { type LocalPlatform, startLocalPlatform } from "../runtime/local-platform.js";
import { startTimelineServer, type TimelineServer } from "../timeline/timeline-server.js";
import { buildTagRenderer } from "./build-tag-renderer.js";
import { ChainPrinter, journeyWidth } from "./chain-printer.js";
import { renderEnvironmentSummary } from "./environment-summary.js";
import { JourneyWatch } from "./journey-watch.js";
import { localRepositoryName, seedAppRepositories, seedConfigRepository } from "./seed-demo.js";

/** Options of {@link runDemo}. */
export interface RunDemoOptions {
  /** Where the platform keeps its state. */
  readonly dataDir: string;
  /** The configuration file (the example `shipline.config.yaml`). */
  readonly configFile: string;
  /** Exit once the first journey reaches the last environment (or stops). */
  readonly once: boolean;
  /** How long `once` waits before giving up. @default 15 minutes */
  readonly timeoutMs?: number;
  readonly out: Writable;
  readonly err: Writable;
  /** For `NO_COLOR` and `FORCE_COLOR`. @default - no colour variables */
  readonly env?: NodeJS.ProcessEnv;
  /** Where the steps' log lines and runtime warnings go, to name it once. @default - not named */
  readonly logFile?: string;
  /** Aborted on SIGINT / SIGTERM. */
  readonly signal: AbortSignal;
  /** The command that runs the CLI, for the instructions printed at the end. */
  readonly cli: string;
}

/**
 * The demo `npm start` runs: starts the local platform and connects every step; on first run
 * creates the sample app repository and the config repository on the local git server and pushes
 * a first commit; prints the chain live until the commit is verified in the last environment; then
 * keeps running and explains how to push a change yourself. With `once` it returns 0 when the last
 * environment is verified and 1 with the reason otherwise. It ends (with `once`, or when the signal
 * aborts) with what runs in each environment, read from the ledger.
 *
 * @example
 * ```ts
 * process.exitCode = await runDemo({ dataDir: ".shipline", configFile: "shipline.config.yaml", once: true, ... });
 * ```
 */
export async function runDemo(options: RunDemoOptions): Promise<number> {
  const { out } = options;
  const config = await loadConfigFile(options.configFile);
  const style = terminalStyle(out, options.env ?? {});
  const configRepository = localRepositoryName(config.configRepo.url);
  let platformRef: LocalPlatform | undefined;
  const printer = new ChainPrinter({
    out,
    style,
    journeyWidth: journeyWidth(config.apps.map((app) => app.name)),
    quietRepositories: new Set(configRepository === undefined ? [] : [configRepository]),
    appOfImageRepository: (repository) =>
      config.apps.find((app) => app.image.repository === repository)?.name ?? repository,
    renderTag: buildTagRenderer({
      config,
      gitDirOf: async (name) => (await platformRef?.git.getRepository(name))?.gitDir,
    }),
  });
  const watchers = new Set<JourneyWatch>();
  // Events seen so far, so a watch created after a push still sees what the push already caused.
  const history: EventEnvelope[] = [];
  const platform = await startLocalPlatform({
    dataDir: options.dataDir,
    repositories: configuredRepositories(config),
    ...localHarborOption(config),
    onEvent: (event) => {
      printer.print(event);
      history.push(event);
      for (const watcher of watchers) watcher.observe(event);
    },
    onError: (error) => options.err.write(`  ! ${error instanceof Error ? error.message : String(error)}\n`),
  });
  platformRef = platform;
  let chain: Awaited<ReturnType<typeof connectLocalChain>> | undefined;
  let timeline: TimelineServer | undefined;
  // Ends the waits still pending when the demo returns, so that no timer keeps the process alive.
  const waits = new AbortController();
  const signal = AbortSignal.any([options.signal, waits.signal]);
  try {
    timeline = await startTimelineServer({
      dataDir: options.dataDir,
      bus: platform.bus,
      store: platform.store,
    });
    out.write(`Shipline: local platform on ${platform.endpoints.git} (data in ${options.dataDir})\n`);
    out.write(`Timeline: ${timeline.url}\n`);
    if (options.logFile !== undefined) out.write(`Log:      ${options.logFile}\n`);
    const seeded = await seedConfigRepository({ platform, config });
    chain = await connectLocalChain({
      platform,
      config,
      onError: (error) =>
        options.err.write(`  ! ${error instanceof Error ? error.message : String(error)}\n`),
    });
    const lastEnvironment = promotionOrder(config.environments).at(-1)?.name ?? "production";
    out.write(`\n${printer.header()}`);
    const [firstApp] = await seedAppRepositories({ platform, config });
    let firstPush: JourneyWatch | undefined;
    if (firstApp) {
      firstPush = new JourneyWatch({ commit: firstApp.commit, environment: lastEnvironment });
      for (const event of history) firstPush.observe(event);
      watchers.add(firstPush);
    }
    if (!seeded && !firstPush) out.write("Repositories already exist: push a change to see the chain run.\n");
    if (options.once) {
      if (!firstPush) {
        options.err.write("--once needs a fresh data directory: the demo repositories already exist there\n");
        return 2;
      }
      const end = await Promise.race([
        firstPush.ended,
        delay(options.timeoutMs ?? 15 * 60_000, signal).then((): { kind: "stopped"; reason: string } => ({
          kind: "stopped",
          reason: "timed out waiting for the chain",
        })),
      ]);
      await printer.idle();
      if (end.kind === "verified") {
        out.write(`\n${style.ok("✓")} ${end.environment} runs the pushed commit, verified healthy.\n`);
        return 0;
      }
      out.write(`\n${style.failed("✗")} The journey stopped: ${end.reason}\n`);
      return 1;
    }
    if (firstPush) {
      const end = await Promise.race([firstPush.ended, delay(Number.MAX_SAFE_INTEGER / 2, signal)]);
      if (end && typeof end === "object") {
        await printer.idle();
        out.write(
          end.kind === "verified"
            ? `\n${style.ok("✓")} ${end.environment} verified.\n`
            : `\n${style.failed("✗")} Stopped: ${end.reason}\n`,
        );
      }
    }
    out.write(instructions(platform, config, options));
    await delay(Number.MAX_SAFE_INTEGER / 2, signal);
    return 0;
  } finally {
    waits.abort();
    if (chain !== undefined) await writeSummary({ platform, config, out, style, printer });
    out.write("Stopping...\n");
    await chain?.stop();
    await timeline?.close();
    await platform.stop();
  }
}

/** What runs in each environment, once the events under way are delivered (for a few seconds at most). */
async function writeSummary(options: {
  readonly platform: LocalPlatform;
  readonly config: ShiplineConfig;
  readonly out: Writable;
  readonly style: ReturnType<typeof terminalStyle>;
  readonly printer: ChainPrinter;
}): Promise<void> {
  const { platform, config, out } = options;
  const settled = new AbortController();
  await Promise.race([
    platform.bus.drain().then(() => options.printer.idle()),
    delay(SUMMARY_WAIT_MS, settled.signal),
  ]);
  settled.abort();
  try {
    const reader = new LedgerReader({ store: platform.store });
    const states = (await Promise.all(config.apps.map((app) => reader.environments(app.name)))).flat();
    const order = promotionOrder(config.environments).map((environment) => environment.name);
    out.write(`\n${renderEnvironmentSummary({ states, order, style: options.style })}`);
  } catch (error) {
    out.write(
      `\nWhat runs: the ledger could not be read (${error instanceof Error ? error.message : String(error)})\n`,
    );
  }
}

/** How long the summary waits for the events under way before it reads the ledger. */
const SUMMARY_WAIT_MS = 5000;

function instructions(platform: LocalPlatform, config: ShiplineConfig, options: RunDemoOptions): string {
  const app = config.apps[0];
  const name = app ? localRepositoryName(app.source.repo) : undefined;
  const url = name ? platform.git.cloneUrl(name) : platform.endpoints.git;
  return `
Push a change yourself (pushes need a short-lived token; the credential helper gets one):

  git clone ${url} demo && cd demo
  git config credential.helper '!${options.cli} git-credential --data-dir ${options.dataDir}'
  git config credential.useHttpPath true
  # edit server.js, then
  git commit -am "Change the greeting" && git push

Inspect:  ${options.cli} events --data-dir ${options.dataDir}
Stop:     Ctrl+C
`;
}

function delay(ms: number, signal: AbortSignal): Promise<undefined> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(undefined);
    const timer = setTimeout(() => resolve(undefined), Math.min(ms, 2_147_483_647));
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve(undefined);
      },
      { once: true },
    );
  });
}
