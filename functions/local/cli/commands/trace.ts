import type { EnvironmentConfig } from "../../../core/config/environment.js";
import { resourceName } from "../../../core/contracts/primitives.js";
import { bakeSummary } from "../../../core/ledger/bake-summary.js";
import { buildJourney, type Journey, type JourneyStep } from "../../../core/ledger/build-journey.js";
import { canarySummary } from "../../../core/ledger/canary-summary.js";
import { chartSummary } from "../../../core/ledger/chart-summary.js";
import type { JourneyHop, LedgerHop } from "../../../core/ledger/ledger-hop.js";
import type { LedgerReader } from "../../../core/ledger/ledger-reader.js";
import type { StepDeadlines } from "../../../core/ledger/step-deadline.js";
import { type Command, UsageError } from "../command.js";
import { isDataFormat, outputFormatOf, outputOptions, renderDocuments } from "../output-format.js";
import { parseCommandArgs } from "../parse-command-args.js";
import { type TerminalStyle, terminalStyle } from "../terminal-style.js";
import {
  configuredEnvironments,
  EXIT_NOT_FOUND,
  formatDuration,
  LEDGER_FLAGS,
  LEDGER_OPTIONS,
  openLedger,
  renderColumns,
} from "./ledger-cli.js";

const COMMIT_PREFIX = /^[0-9a-f]{7,64}$/;
const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const STOPPED: ReadonlySet<string> = new Set(["failed", "rejected", "rolled-back", "stuck"]);

/** The verify deadline of each configured environment, for telling a stuck journey. */
function deadlinesOf(environments: readonly EnvironmentConfig[]): StepDeadlines {
  return {
    verifySeconds: Object.fromEntries(
      environments.map((environment) => [environment.name, environment.verifyDeadlineSeconds]),
    ),
  };
}
const MARKS = { ok: "✓", failed: "✗", waiting: "…", info: "·" } as const;

/**
 * `shipline trace <commit|app>`: the journey of a commit (a prefix of at least 7 hex characters),
 * or of an app's latest commit, as a timeline: each hop with ✓ / ✗ / … marks, its step, the time
 * from the start and from the hop before, links (build log, pull request, config commit), and the
 * reason wherever it stopped. Reads the local ledger directly (the runtime need not run), or the
 * DynamoDB ledger with `--aws`. `-o json|yaml` (or `--json`) prints the journeys for scripts, `-o wide`
 * full digests and commits. The marks are coloured on a terminal only (never with `NO_COLOR`).
 *
 * Exit codes: 0 a journey was found and did not fail (deployed, running or waiting); 1 it failed,
 * was rejected or rolled back; 2 bad usage or an ambiguous commit prefix; 3 nothing recorded.
 *
 * @example
 * ```sh
 * shipline trace f485fcc
 * shipline trace demo --json
 * ```
 */
export const traceCommand: Command = {
  name: "trace",
  summary: "Show a commit's journey (or an app's latest) as a timeline",
  usage:
    "shipline trace <commit|app> [--app APP] [-o table|wide|json|yaml] [--config FILE] [--data-dir DIR] [--store-dir DIR] [--aws [--table NAME]]",
  options: [
    { flag: "--app APP", text: "look for the commit in this app only" },
    ...outputOptions(),
    ...LEDGER_OPTIONS,
  ],
  details: [
    "<commit> is at least 7 hex characters of a source commit; <app> traces the app's latest commit.",
    "Exit codes: 0 deployed, running or waiting; 1 failed, rejected or rolled back; 2 bad usage or an",
    "ambiguous commit prefix; 3 nothing recorded.",
  ].join("\n"),
  async run(args, io) {
    const { positionals, values } = parseTraceArgs(args);
    const format = outputFormatOf(values);
    const target = positionals[0] ?? "";
    const environments = await configuredEnvironments(io, values.config);
    const ledger = openLedger(io, values);
    try {
      const found = await findJourneys(ledger.reader, target, values.app);
      if (found.kind === "none") {
        io.stderr.write(
          `shipline trace: no journey of '${target}' is recorded in ${ledger.where}; check the app name or commit (shipline status lists the apps)\n`,
        );
        return EXIT_NOT_FOUND;
      }
      if (found.kind === "push") {
        if (isDataFormat(format))
          io.stdout.write(
            await renderDocuments(format, [{ commit: found.commit, status: "pushed", hops: found.hops }]),
          );
        else io.stdout.write(renderPush(found.commit, found.hops));
        return 0;
      }
      const journeys = await Promise.all(
        found.journeys.map(async (hops) => {
          const app = hops.find((hop) => hop.app !== null)?.app;
          const states = app === undefined ? undefined : await ledger.reader.environments(app);
          return buildJourney({
            hops,
            ...(environments ? { environments } : {}),
            ...(states ? { states } : {}),
            now: io.now?.() ?? new Date(),
            ...(environments ? { deadlines: deadlinesOf(environments) } : {}),
          });
        }),
      );
      if (isDataFormat(format)) {
        io.stdout.write(await renderDocuments(format, journeys));
      } else {
        const style = terminalStyle(io.stdout, io.env);
        const wide = format === "wide";
        io.stdout.write(journeys.map((journey) => renderJourney(journey, { style, wide })).join("\n"));
      }
      return journeys.some((journey) => STOPPED.has(journey.status)) ? 1 : 0;
    } finally {
      ledger.close();
    }
  },
};

function parseTraceArgs(args: readonly string[]) {
  const parsed = parseCommandArgs(args, { ...LEDGER_FLAGS, app: { type: "string" } }, { positionals: true });
  if (parsed.positionals.length !== 1) {
    throw new UsageError(
      parsed.positionals.length === 0
        ? "name a commit or an app: shipline trace <commit|app>, e.g. shipline trace demo"
        : `expected one <commit|app>, got ${parsed.positionals.length}: ${parsed.positionals.join(" ")}`,
    );
  }
  const target = parsed.positionals[0] ?? "";
  if (!COMMIT_PREFIX.test(target) && !resourceName.safeParse(target).success) {
    throw new UsageError(
      `'${target}' is neither a commit (at least 7 lower-case hex characters) nor an app name (lower-case letters, digits and '-')`,
    );
  }
  return parsed;
}

type Found =
  | { readonly kind: "journeys"; readonly journeys: readonly (readonly JourneyHop[])[] }
  | { readonly kind: "push"; readonly commit: string; readonly hops: readonly LedgerHop[] }
  | { readonly kind: "none" };

/** A commit prefix first (in every app, or `--app`), then an app's latest commit. */
async function findJourneys(
  reader: LedgerReader,
  target: string,
  onlyApp: string | undefined,
): Promise<Found> {
  if (COMMIT_PREFIX.test(target)) {
    const apps = onlyApp === undefined ? await reader.apps() : [onlyApp];
    const matches = (await Promise.all(apps.map((app) => reader.commits(app, target)))).flat();
    const commits = [...new Set(matches.map((match) => match.commit))];
    if (commits.length > 1) {
      throw new UsageError(
        `commit prefix '${target}' matches ${commits.length} commits (${commits.map((commit) => commit.slice(0, 12)).join(", ")}); give more characters`,
      );
    }
    if (matches.length > 0) {
      return {
        kind: "journeys",
        journeys: await Promise.all(matches.map((match) => reader.journey(match.app, match.commit))),
      };
    }
    if (FULL_SHA.test(target)) {
      const hops = await reader.push(target);
      if (hops.length > 0) return { kind: "push", commit: target, hops };
    }
  }
  if (resourceName.safeParse(target).success) {
    const latest = await reader.latestCommit(target);
    if (latest !== undefined)
      return { kind: "journeys", journeys: [await reader.journey(latest.app, latest.commit)] };
  }
  return { kind: "none" };
}

/** How {@link renderJourney} prints. */
export interface RenderJourneyOptions {
  /** Colours of the marks. @default - none */
  readonly style?: TerminalStyle;
  /** Full digests and commits in the details. @default false */
  readonly wide?: boolean;
}

/**
 * The timeline of one journey, as `shipline trace` prints it.
 *
 * @example
 * ```ts
 * io.stdout.write(renderJourney(buildJourney({ hops })));
 * ```
 */
export function renderJourney(journey: Journey, options: RenderJourneyOptions = {}): string {
  const header = `${journey.app} @ ${journey.commit.slice(0, 7)}  ${journey.status.toUpperCase()}: ${journey.reason}\n`;
  const about = `journey ${journey.correlationId} · commit ${journey.commit} · started ${journey.startedAt} · ${formatDuration(journey.durationSeconds)} so far\n\n`;
  const rows = journey.steps.map((step) => rowOf(step, options.wide === true));
  const footer = STOPPED.has(journey.status)
    ? `\nStopped: ${journey.reason}\n`
    : journey.status === "deployed"
      ? `\nDeployed: ${journey.reason}\n`
      : `\n${journey.status === "waiting" ? "Waiting" : "Running"}: ${journey.reason}\n`;
  return header + about + colourMarks(renderColumns(rows, "  "), options.style) + footer;
}

/** Colours the mark that starts each row (after the columns are laid out, so widths stay right). */
function colourMarks(table: string, style: TerminalStyle | undefined): string {
  if (style === undefined || !style.colour) return table;
  const paint: Readonly<Record<string, (text: string) => string>> = {
    [MARKS.ok]: style.ok,
    [MARKS.failed]: style.failed,
    [MARKS.waiting]: style.waiting,
    [MARKS.info]: style.dim,
  };
  return table.replace(
    /^( {2})(\S)/gm,
    (_line, indent: string, mark: string) => indent + (paint[mark]?.(mark) ?? mark),
  );
}

function rowOf(step: JourneyStep, wide: boolean): string[] {
  const { hop } = step;
  return [
    MARKS[step.mark],
    hop.at.slice(11, 19),
    `+${formatDuration(step.offsetSeconds)}`,
    `(${formatDuration(step.sincePreviousSeconds)})`,
    hop.detailType + (hop.replayName === undefined ? "" : ` [replay ${hop.replayName}]`),
    hop.step,
    detailsOf(hop, wide),
  ];
}

/** The facts of a hop worth a glance, with its links; `wide` keeps digests and commits whole. */
export function detailsOf(hop: LedgerHop, wide = false): string {
  const cut = (text: string, length: number) => (wide ? text : text.slice(0, length));
  const parts: string[] = [];
  if (hop.environment !== undefined) parts.push(`env ${hop.environment}`);
  if (hop.tag !== undefined) parts.push(`tag ${hop.tag}`);
  if (hop.digest !== undefined) parts.push(cut(hop.digest, 19));
  if (hop.buildId !== undefined) parts.push(`build ${hop.buildId}`);
  if (hop.status !== undefined) parts.push(hop.status);
  if (hop.verdict !== undefined)
    parts.push(`${hop.verdict}${hop.blocking ? `, ${hop.blocking} blocking` : ""}`);
  if (hop.configCommit !== undefined) parts.push(`config commit ${cut(hop.configCommit, 7)}`);
  if (hop.revision !== undefined && hop.revision !== hop.configCommit)
    parts.push(`revision ${cut(hop.revision, 7)}`);
  if (hop.health !== undefined) parts.push(hop.health);
  if (hop.kind === "revert") parts.push("revert");
  if (hop.durationSeconds !== undefined) parts.push(`took ${formatDuration(hop.durationSeconds)}`);
  if (hop.canary !== undefined) parts.push(canarySummary(hop.canary));
  const chart = chartSummary(hop);
  if (chart !== undefined) parts.push(chart);
  if (hop.bake !== undefined) parts.push(bakeSummary(hop.bake));
  if (hop.reason !== undefined) parts.push(`— ${hop.reason}`);
  if (hop.trigger !== undefined) parts.push(`(${hop.trigger})`);
  if (hop.logsUrl !== undefined) parts.push(`log: ${hop.logsUrl}`);
  if (hop.url !== undefined) parts.push(`pr: ${hop.url}`);
  return parts.join(" · ");
}

function renderPush(commit: string, hops: readonly LedgerHop[]): string {
  const rows = hops.map((hop) => ["·", hop.at.slice(11, 19), hop.detailType, hop.step, detailsOf(hop)]);
  return `${commit.slice(0, 7)}  PUSHED: no app's build is recorded for this commit (no app matched the push, or start-build has not run)\n\n${renderColumns(rows, "  ")}`;
}
