import { computeDora, type DoraMetrics, doraInputsOf } from "../../../core/ledger/compute-dora.js";
import type { EnvironmentState } from "../../../core/ledger/environment-state.js";
import { productionEnvironments } from "../../../core/ledger/production-environments.js";
import { parseSince } from "../../bus/since-argument.js";
import { type Command, UsageError } from "../command.js";
import {
  isDataFormat,
  OUTPUT_FORMATS,
  outputFormatOf,
  outputOptions,
  renderDocuments,
} from "../output-format.js";
import { parseCommandArgs } from "../parse-command-args.js";
import {
  configuredEnvironments,
  EXIT_NOT_FOUND,
  formatDuration,
  LEDGER_FLAGS,
  LEDGER_OPTIONS,
  openLedger,
  renderColumns,
} from "./ledger-cli.js";

const HEADERS = [
  "APP",
  "ENV",
  "RUNNING",
  "DIGEST",
  "COMMIT",
  "CONFIG",
  "HEALTH",
  "SINCE",
  "DESIRED",
  "LATEST",
] as const;

/**
 * `shipline status`: which image runs where. For every app (or `--app`) and environment: the image
 * last verified there (tag, digest, source commit, config commit, health, since when), what the
 * config branch asks for (`= running`, or the image and, for a change by hand, who made it), and the
 * latest change (its phase, a hold with who placed it, since when, why and how to release it, and
 * the last image that failed there); then the DORA metrics of the production
 * environments over `--window` (default 30d). Production is the last environment of each promotion
 * path of `shipline.config.yaml` (`--config`); without a configuration, the ledger's own record of
 * what was production when each deployment was recorded. Reads the local ledger directly, or the
 * DynamoDB ledger with `--aws`; `-o json|yaml` (or `--json`) prints one object for scripts, `-o wide`
 * the table with full digests and commits.
 *
 * Exit codes: 0 shown (also when nothing is deployed yet); 2 bad usage; 3 `--app` names an app the
 * ledger never saw.
 *
 * @example
 * ```sh
 * shipline status --app demo --window 7d
 * ```
 */
export const statusCommand: Command = {
  name: "status",
  summary: "Show which image runs where, per app and environment, and DORA metrics",
  usage:
    "shipline status [--app APP] [--window DURATION] [-o table|wide|json|yaml] [--config FILE] [--data-dir DIR] [--store-dir DIR] [--aws [--table NAME]]",
  options: [
    { flag: "--app APP", text: "only this app (exit 3 when the ledger never saw it)" },
    { flag: "--window DURATION", text: "the DORA metrics' window, e.g. 7d or 24h (default 30d)" },
    ...outputOptions(),
    ...LEDGER_OPTIONS,
  ],
  details:
    "Exit codes: 0 shown (also when nothing is deployed yet), 2 bad usage, 3 --app names an app the ledger never saw.",
  async run(args, io) {
    const values = parseStatusArgs(args);
    const format = outputFormatOf(values, OUTPUT_FORMATS);
    const now = new Date();
    const from = parseWindow(values.window ?? "30d", now);
    const environments = await configuredEnvironments(io, values.config);
    const production = environments === undefined ? undefined : productionEnvironments(environments);
    const ledger = openLedger(io, values);
    try {
      const known = await ledger.reader.apps();
      if (values.app !== undefined && !known.includes(values.app)) {
        io.stderr.write(
          `shipline status: app '${values.app}' is not recorded in ${ledger.where}${known.length === 0 ? "" : ` (apps: ${known.join(", ")})`}; check the name, or leave --app out\n`,
        );
        return EXIT_NOT_FOUND;
      }
      const apps = values.app === undefined ? known : [values.app];
      const states = (await Promise.all(apps.map((app) => ledger.reader.environments(app)))).flat();
      const records = (await Promise.all(apps.map((app) => ledger.reader.deployments(app))))
        .flat()
        .map((record) =>
          production === undefined ? record : { ...record, production: production.has(record.environment) },
        );
      const dora = computeDora({ ...doraInputsOf(records), window: { from, to: now } });
      if (isDataFormat(format)) {
        const document = { environments: states, dora, production: production ? [...production] : undefined };
        io.stdout.write(await renderDocuments(format, [document]));
        return 0;
      }
      const wide = format === "wide";
      io.stdout.write(
        states.length === 0
          ? `Nothing is deployed yet: no environment state in ${ledger.where}.\n`
          : renderColumns([
              [...HEADERS],
              ...order(states, environments).map((state) => rowOf(state, now, wide)),
            ]),
      );
      io.stdout.write(`\n${renderDora(dora, production)}`);
      return 0;
    } finally {
      ledger.close();
    }
  },
};

function parseStatusArgs(args: readonly string[]) {
  return parseCommandArgs(args, { ...LEDGER_FLAGS, app: { type: "string" }, window: { type: "string" } })
    .values;
}

function parseWindow(value: string, now: Date): Date {
  if (!/^\d+(ms|s|m|h|d)$/.test(value) || /^0+[a-z]+$/.test(value)) {
    throw new UsageError(`--window '${value}' is not a duration like 7d, 24h or 30d`);
  }
  return parseSince(value, now);
}

/** Apps by name, environments in promotion order when the configuration is known. */
function order(
  states: readonly EnvironmentState[],
  environments: readonly { readonly name: string }[] | undefined,
): EnvironmentState[] {
  const rank = (name: string) => {
    const index = environments?.findIndex((environment) => environment.name === name) ?? -1;
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return [...states].sort(
    (left, right) =>
      left.app.localeCompare(right.app) ||
      rank(left.environment) - rank(right.environment) ||
      left.environment.localeCompare(right.environment),
  );
}

function rowOf(state: EnvironmentState, now: Date, wide: boolean): string[] {
  const deployed = state.deployed;
  const cut = (text: string | undefined, length: number) =>
    text === undefined ? "-" : wide ? text : text.slice(0, length);
  const ago = (at: string) => `${formatDuration((now.getTime() - Date.parse(at)) / 1000)} ago`;
  const latest =
    deployed !== undefined && deployed.commit === state.commit && state.phase === "verified"
      ? "verified"
      : state.phase === "waiting"
        ? "nothing deployed yet"
        : `${state.phase} ${state.commit.slice(0, 7)}${state.reason === undefined ? "" : ` — ${state.reason}`}`;
  const waiting = (state.waiting ?? [])
    .map(
      (entry) =>
        ` [waiting: ${entry.tag ?? entry.digest.slice(0, 19)} for ${entry.waitingFor}${entry.until === undefined ? "" : ` until ${entry.until.slice(11, 19)}`}${entry.command === undefined ? "" : ` — ${entry.command}`}]`,
    )
    .join("");
  const hold =
    state.hold === undefined
      ? ""
      : ` [held by ${state.hold.by}${state.hold.since === undefined ? "" : ` since ${state.hold.since.slice(0, 19)}Z`}: ${state.hold.reason} — release: shipline release ${state.app} ${state.environment}]`;
  const canary = deployed?.canary === undefined ? "" : ` [${deployed.canary}]`;
  const chart = deployed?.chartVersion === undefined ? "" : ` [chart ${deployed.chartVersion}]`;
  const lastFailure = state.failed?.at(-1);
  const failed =
    lastFailure === undefined || state.phase === "verified" || state.phase === "failed"
      ? ""
      : ` [failed: ${lastFailure.tag ?? lastFailure.digest ?? lastFailure.commit.slice(0, 7)} — ${lastFailure.reason}]`;
  const desired = state.desired;
  const wanted =
    desired === undefined
      ? "-"
      : desired.tag === deployed?.tag
        ? "= running"
        : `${desired.tag ?? desired.digest?.slice(0, 19) ?? "?"}${desired.by === "person" ? ` (by ${desired.author ?? "a person"})` : ""}`;
  return [
    state.app,
    state.environment,
    deployed?.tag ?? "-",
    cut(deployed?.digest, 19),
    cut(deployed?.commit, 7),
    cut(deployed?.configCommit, 7),
    deployed?.health ?? "-",
    deployed === undefined ? "-" : ago(deployed.since),
    wanted,
    latest + chart + canary + hold + failed + waiting,
  ];
}

/**
 * The DORA summary `shipline status` prints.
 *
 * @example
 * ```ts
 * io.stdout.write(renderDora(dora, new Set(["production"])));
 * ```
 */
export function renderDora(dora: DoraMetrics, production: ReadonlySet<string> | undefined): string {
  const lines = [
    `DORA metrics, last ${formatDuration(dora.window.days * 86_400)}${production ? ` (production: ${[...production].join(", ")})` : ""}:`,
    `  deployment frequency   ${dora.deployments} deployment(s), ${dora.deploymentsPerDay.toFixed(2)} per day`,
    `  lead time for changes  ${summary(dora.leadTime)}`,
    `  change failure rate    ${dora.changeFailureRate === undefined ? "-" : `${(dora.changeFailureRate * 100).toFixed(0)}% (${dora.failures} of ${dora.failures + dora.deployments})`}`,
    `  time to restore        ${summary(dora.timeToRestore)}`,
  ];
  return `${lines.join("\n")}\n`;
}

function summary(durations: DoraMetrics["leadTime"]): string {
  if (durations.count === 0 || durations.medianSeconds === undefined) return "-";
  return `median ${formatDuration(durations.medianSeconds)}, p90 ${formatDuration(durations.p90Seconds ?? durations.medianSeconds)} (${durations.count})`;
}
