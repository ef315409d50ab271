import { resolve } from "node:path";
import type { EventEnvelope } from "../../../core/contracts/event-envelope.js";
import { isJsonObject } from "../../../core/event-pattern/json-value.js";
import { busLayout, DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { parseFlags } from "../../bus/cli-arguments.js";
import { type ArchivedEvent, readArchiveLines } from "../../bus/event-archive.js";
import { JsonLinesFile } from "../../bus/json-lines-file.js";
import { parseSince } from "../../bus/since-argument.js";
import type { Command } from "../command.js";
import {
  isDataFormat,
  OUTPUT_FLAGS,
  type OutputFormat,
  outputFormatOf,
  outputOptions,
  renderDocuments,
} from "../output-format.js";
import { followArchive } from "./follow-archive.js";

/**
 * `shipline events`: lists the events archived by the local bus (`<data-dir>/bus/archive.jsonl`),
 * oldest first, as a table (`-o wide` adds the environment and the whole commit) or, with `-o json`
 * (or `--json`), one event envelope per line (`-o yaml`: one YAML document each). `--type` keeps one
 * detail type (repeatable); `--since` keeps events archived since an ISO time or a duration (`10m`);
 * `--app` keeps the events of one app (`detail.app`). `--follow` keeps printing events as the bus
 * archives them, until Ctrl+C.
 *
 * @example
 * ```sh
 * shipline events --type "Build Failed" --since 1h
 * shipline events --follow --app demo
 * ```
 */
export const eventsCommand: Command = {
  name: "events",
  summary: "List the events the local bus archived",
  usage:
    "shipline events [-o table|wide|json|yaml] [--type DETAIL-TYPE]... [--since ISO-TIME|DURATION] [--app APP] [--follow] [--data-dir DIR]",
  options: [
    { flag: "--type DETAIL-TYPE", text: "only this detail type, e.g. 'Build Failed' (repeatable)" },
    {
      flag: "--since TIME",
      text: "only events archived since an ISO time or a duration back from now (10m, 2h, 1d)",
    },
    { flag: "--app APP", text: "only the events of this app" },
    { flag: "--follow", text: "keep printing events as the bus archives them, until Ctrl+C" },
    ...outputOptions(),
    { flag: "--data-dir DIR", text: "the local runtime's data directory (default .shipline)" },
  ],
  async run(args, io) {
    const { values } = parseFlags(args, {
      ...OUTPUT_FLAGS,
      type: { type: "string", multiple: true },
      since: { type: "string" },
      "data-dir": { type: "string" },
      app: { type: "string" },
      follow: { type: "boolean" },
    });
    const format = outputFormatOf(values);
    const since = values.since === undefined ? undefined : parseSince(values.since, new Date());
    const types = new Set(values.type ?? []);
    const file = new JsonLinesFile(
      busLayout(resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR)).archive,
    );
    const app = values.app;
    const wanted = (record: ArchivedEvent) =>
      (since === undefined || new Date(record.archivedAt) >= since) &&
      (types.size === 0 || types.has(record.event["detail-type"])) &&
      (app === undefined || appOf(record.event) === app);
    const wide = format === "wide";
    if (values.follow) {
      // YAML is loaded before the first event, so that events print in the order they come.
      const yaml = format === "yaml" ? await import("yaml") : undefined;
      let first = true;
      if (!isDataFormat(format)) io.stdout.write(`${followLine(headersOf(wide), wide)}\n`);
      await followArchive({
        path: file.path,
        signal: io.signal,
        onRecord: (record) => {
          if (!wanted(record)) return;
          if (yaml !== undefined) io.stdout.write(`${first ? "" : "---\n"}${yaml.stringify(record.event)}`);
          else if (format === "json") io.stdout.write(`${JSON.stringify(record.event)}\n`);
          else io.stdout.write(`${followLine(rowOf(record.event, wide), wide)}\n`);
          first = false;
        },
      });
      return 0;
    }
    const events = (await readArchiveLines(file)).filter(wanted).map((record) => record.event);
    if (isDataFormat(format)) {
      io.stdout.write(await renderDocuments(format, events));
      return 0;
    }
    if (events.length === 0) {
      const filtered = types.size > 0 || since !== undefined || app !== undefined;
      io.stdout.write(`No events in ${file.path}${filtered ? " match the filters" : ""}.\n`);
      return 0;
    }
    io.stdout.write(renderTable(events, format));
    return 0;
  },
};

const HEADERS = ["TIME", "DETAIL-TYPE", "SOURCE", "APP", "COMMIT", "ID"] as const;
const WIDE_HEADERS = ["TIME", "DETAIL-TYPE", "SOURCE", "APP", "ENV", "COMMIT", "ID"] as const;

function headersOf(wide: boolean): readonly string[] {
  return wide ? WIDE_HEADERS : HEADERS;
}

/** The app an event is about (`detail.app`), if it names one. */
function appOf(event: EventEnvelope): string | undefined {
  const detail = isJsonObject(event.detail) ? event.detail : {};
  return typeof detail.app === "string" ? detail.app : undefined;
}

function rowOf(event: EventEnvelope, wide: boolean): string[] {
  const detail = isJsonObject(event.detail) ? event.detail : {};
  const commit = typeof detail.commit === "string" ? (wide ? detail.commit : detail.commit.slice(0, 7)) : "-";
  const replay = event["replay-name"] ? ` (replay ${event["replay-name"]})` : "";
  const app = appOf(event) ?? "-";
  const environment = typeof detail.environment === "string" ? detail.environment : "-";
  return wide
    ? [event.time, event["detail-type"] + replay, event.source, app, environment, commit, event.id]
    : [event.time, event["detail-type"] + replay, event.source, app, commit, event.id];
}

/** Widths of the columns while following, when later rows cannot widen earlier ones. */
const FOLLOW_WIDTHS = [20, 24, 16, 16, 7] as const;
const WIDE_FOLLOW_WIDTHS = [20, 24, 16, 16, 12, 40] as const;

function followLine(cells: readonly string[], wide: boolean): string {
  const widths: readonly number[] = wide ? WIDE_FOLLOW_WIDTHS : FOLLOW_WIDTHS;
  return cells
    .map((cell, column) => cell.padEnd(widths[column] ?? 0))
    .join("  ")
    .trimEnd();
}

function renderTable(events: readonly EventEnvelope[], format: OutputFormat): string {
  const wide = format === "wide";
  const headers = headersOf(wide);
  const rows = events.map((event) => rowOf(event, wide));
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ");
  return `${[line(headers), ...rows.map(line)].join("\n")}\n`;
}
