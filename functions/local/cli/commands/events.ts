import { resolve } from "node:path";
import type { EventEnvelope } from "../../../core/contracts/event-envelope.js";
import { isJsonObject } from "../../../core/event-pattern/json-value.js";
import { busLayout, DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { parseFlags } from "../../bus/cli-arguments.js";
import { readArchiveLines } from "../../bus/event-archive.js";
import { JsonLinesFile } from "../../bus/json-lines-file.js";
import { parseSince } from "../../bus/since-argument.js";
import type { Command } from "../command.js";

/**
 * `shipline events`: lists the events archived by the local bus (`<data-dir>/bus/archive.jsonl`),
 * oldest first, as a table or, with `--json`, one event envelope per line. `--type` keeps one
 * detail type (repeatable); `--since` keeps events archived since an ISO time or a duration (`10m`).
 *
 * @example
 * ```sh
 * shipline events --type "Build Failed" --since 1h
 * ```
 */
export const eventsCommand: Command = {
  name: "events",
  summary: "List the events the local bus archived",
  usage: "shipline events [--json] [--type DETAIL-TYPE]... [--since ISO-TIME|DURATION] [--data-dir DIR]",
  async run(args, io) {
    const { values } = parseFlags(args, {
      json: { type: "boolean" },
      type: { type: "string", multiple: true },
      since: { type: "string" },
      "data-dir": { type: "string" },
    });
    const since = values.since === undefined ? undefined : parseSince(values.since, new Date());
    const types = new Set(values.type ?? []);
    const file = new JsonLinesFile(
      busLayout(resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR)).archive,
    );
    const events = (await readArchiveLines(file))
      .filter((record) => since === undefined || new Date(record.archivedAt) >= since)
      .filter((record) => types.size === 0 || types.has(record.event["detail-type"]))
      .map((record) => record.event);
    if (values.json) {
      for (const event of events) io.stdout.write(`${JSON.stringify(event)}\n`);
      return 0;
    }
    if (events.length === 0) {
      io.stdout.write(`No events in ${file.path}${types.size > 0 || since ? " match the filters" : ""}.\n`);
      return 0;
    }
    io.stdout.write(renderTable(events));
    return 0;
  },
};

const HEADERS = ["TIME", "DETAIL-TYPE", "SOURCE", "APP", "COMMIT", "ID"] as const;

function renderTable(events: readonly EventEnvelope[]): string {
  const rows = events.map((event) => {
    const detail = isJsonObject(event.detail) ? event.detail : {};
    const app = typeof detail.app === "string" ? detail.app : "-";
    const commit = typeof detail.commit === "string" ? detail.commit.slice(0, 7) : "-";
    const replay = event["replay-name"] ? ` (replay ${event["replay-name"]})` : "";
    return [event.time, event["detail-type"] + replay, event.source, app, commit, event.id];
  });
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join("  ");
  return `${[line(HEADERS), ...rows.map(line)].join("\n")}\n`;
}
