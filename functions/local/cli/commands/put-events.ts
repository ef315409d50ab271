import { resolve } from "node:path";
import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import * as z from "zod";
import { formatIssues } from "../../../core/contracts/format-issues.js";
import { readBusEndpoint } from "../../bus/bus-endpoint.js";
import { DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { parseFlags, readJsonArgument, requireFlag } from "../../bus/cli-arguments.js";
import { type Command, UsageError } from "../command.js";
import { OUTPUT_FLAGS, outputFormatOf, outputOptions, renderDocuments } from "../output-format.js";

const cliEntry = z.object({
  Source: z.string().optional(),
  DetailType: z.string().optional(),
  // The AWS CLI takes Detail as a JSON string; an object is accepted too and serialised.
  Detail: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  Resources: z.array(z.string()).optional(),
  Time: z.union([z.iso.datetime({ offset: true }), z.number()]).optional(),
  EventBusName: z.string().optional(),
  TraceHeader: z.string().optional(),
});

const cliEntries = z.array(cliEntry).min(1);

/**
 * `shipline put-events`: the local mirror of `aws events put-events`. Sends the entries to the
 * running local bus through the real EventBridge SDK client and prints the PutEvents response.
 * The bus URL comes from `--endpoint-url`, else from `<data-dir>/endpoints.json` (key `bus`).
 *
 * @example
 * ```sh
 * shipline put-events --entries '[{"Source":"shipline","DetailType":"Hold Released","Detail":"{}"}]'
 * ```
 */
export const putEventsCommand: Command = {
  name: "put-events",
  summary: "Put events on the running local bus and print per-entry results",
  usage:
    "shipline put-events --entries <json|file://path> [-o json|yaml] [--endpoint-url URL] [--data-dir DIR]",
  options: [
    { flag: "--entries JSON", text: "the entries, as the AWS CLI takes them: JSON text or file://path" },
    ...outputOptions(["json", "yaml"]),
    { flag: "--endpoint-url URL", text: "the local bus (default: the bus URL in <data-dir>/endpoints.json)" },
    { flag: "--data-dir DIR", text: "the local runtime's data directory (default .shipline)" },
  ],
  details:
    "Exit codes: 0 sent (see FailedEntryCount), 1 the bus could not be reached, 2 bad usage or rejected entries.",
  async run(args, io) {
    const { values } = parseFlags(args, {
      ...OUTPUT_FLAGS,
      entries: { type: "string" },
      "endpoint-url": { type: "string" },
      "data-dir": { type: "string" },
    });
    const format = outputFormatOf(values, ["json", "yaml"]);
    const raw = await readJsonArgument("--entries", requireFlag(values.entries, "--entries"), io.cwd);
    const parsed = cliEntries.safeParse(raw);
    if (!parsed.success) {
      throw new UsageError(`--entries: ${formatIssues(parsed.error.issues, "Entries").join("; ")}`);
    }
    const endpoint =
      values["endpoint-url"] ??
      (await readBusEndpoint(resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR)));
    const client = new EventBridgeClient({
      endpoint,
      region: io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? "us-east-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
      maxAttempts: 1,
    });
    try {
      const response = await client.send(
        new PutEventsCommand({
          Entries: parsed.data.map((entry) => ({
            ...entry,
            Detail: typeof entry.Detail === "object" ? JSON.stringify(entry.Detail) : entry.Detail,
            Time: entry.Time === undefined ? undefined : toDate(entry.Time),
          })),
        }),
      );
      const output = { FailedEntryCount: response.FailedEntryCount ?? 0, Entries: response.Entries ?? [] };
      io.stdout.write(await renderDocuments(format === "yaml" ? "yaml" : "json", [output], { indent: 4 }));
      return 0;
    } catch (error) {
      return reportFailure(error, endpoint, io.stderr);
    } finally {
      client.destroy();
    }
  },
};

function toDate(time: string | number): Date {
  return typeof time === "number" ? new Date(time * 1000) : new Date(time);
}

function reportFailure(error: unknown, endpoint: string, stderr: NodeJS.WritableStream): number {
  const name = error instanceof Error ? error.name : "Error";
  const message = error instanceof Error ? error.message : String(error);
  if (name === "ValidationException") {
    stderr.write(
      `An error occurred (ValidationException) when calling the PutEvents operation: ${message}\n`,
    );
    return 2;
  }
  const code = error instanceof Error && "code" in error ? String(error.code) : "";
  if (code === "ECONNREFUSED") {
    stderr.write(
      `Cannot reach the local bus at ${endpoint}; start it with 'npm start' or check --endpoint-url\n`,
    );
    return 1;
  }
  stderr.write(`An error occurred (${name}) when calling the PutEvents operation: ${message}\n`);
  return 1;
}
