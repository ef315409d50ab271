import { resolve } from "node:path";
import type { EventEnvelope } from "../../../core/contracts/event-envelope.js";
import { isJsonObject } from "../../../core/event-pattern/json-value.js";
import { busLayout, DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { parseFlags } from "../../bus/cli-arguments.js";
import { type ArchivedEvent, readArchiveLines } from "../../bus/event-archive.js";
import { JsonLinesFile } from "../../bus/json-lines-file.js";
import { parseSince } from "../../bus/since-argument.js";
import type { Command } from "../command.js";
import { followArchive } from "./follow-archive.js";

/**
 * `shipline events`: lists the events archived by the local bus (`<data-dir>/bus/archive.jsonl`),
 * oldest first, as a table or, with `--json`, one event envelope per line. `--type` keeps one
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
    "shipline events [--json] [--type DETAIL-TYPE]... [--since ISO-TIME|DURATION] [--app APP] [--follow] [--data-dir DIR]",
  async run(args, io) {
    const { values } = parseFlags(args, {
      json: { type: "boolean" },
      type: { type: "string", multiple: true },
      since: { type: "string" },
      "data-dir": { type: "string" },
      app: { type: "string" },
      follow: { type: "boolean" },
    });
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
    if (values.follow) {
      if (!values.json) io.stdout.write(`${followLine(HEADERS)}\n`);
      await followArchive({
        path: file.path,
        signal: io.signal,
        onRecord: (record) => {
          if (!wanted(record)) return;
          io.stdout.write(
            `${values.json ? JSON.stringify(record.event) : followLine(rowOf(record.event))}\n`,
          );
        },
      });
      return 0;
    }
    const events = (await readArchiveLines(file)).filter(wanted).map((record) => record.event);
    if (values.json) {
      for (const event of events) io.stdout.write(`${JSON.stringify(event)}\n`);
      return 0;
    }
    if (events.length === 0) {
      const filtered = types.size > 0 || since !== undefined || app !== undefined;
      io.stdout.write(`No events in ${file.path}${filtered ? " match the filters" : ""}.\n`);
      return 0;
    }
    io.stdout.write(renderTable(events));
    return 0;
  },
};

const HEADERS = ["TIME", "DETAIL-TYPE", "SOURCE", "APP", "COMMIT", "ID"] as const;

/** The app an event is about (`detail.app`), if it names one. */
function appOf(event: EventEnvelope): string | undefined {
  const detail = isJsonObject(event.detail) ? event.detail : {};
  return typeof detail.app === "string" ? detail.app : undefined;
}

function rowOf(event: EventEnvelope): string[] {
  const detail = isJsonObject(event.detail) ? event.detail : {};
  const commit = typeof detail.commit === "string" ? detail.commit.slice(0, 7) : "-";
  const replay = event["replay-name"] ? ` (replay ${event["replay-name"]})` : "";
  return [event.time, event["detail-type"] + replay, event.source, appOf(event) ?? "-", commit, event.id];
}

/** Widths of the columns while following, when later rows cannot widen earlier ones. */
const FOLLOW_WIDTHS = [20, 24, 16, 16, 7] as const;

function followLine(cells: readonly string[]): string {
  return cells
    .map((cell, column) => cell.padEnd(FOLLOW_WIDTHS[column] ?? 0))
    .join("  ")
    .trimEnd();
}

function renderTable(events: readonly EventEnvelope[]): string {
  const rows = events.map(rowOf);
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ");
  return `${[line(HEADERS), ...rows.map(line)].join("\n")}\n`;
}
