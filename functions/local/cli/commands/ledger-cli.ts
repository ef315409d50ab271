import { access } from "node:fs/promises";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { DynamoDbDocumentStore } from "../../../adapters/aws/dynamodb-document-store.js";
import { CONFIG_FILE_NAME, loadConfigFile } from "../../../adapters/local/config-file-loader.js";
import { FileDocumentStore } from "../../../adapters/local/file-document-store.js";
import type { EnvironmentConfig } from "../../../core/config/environment.js";
import { LEDGER_TABLE } from "../../../core/ledger/ledger-keys.js";
import { LedgerReader } from "../../../core/ledger/ledger-reader.js";
import { DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { type CommandIo, type CommandOption, UsageError } from "../command.js";
import { OUTPUT_FLAGS } from "../output-format.js";

/** The variable naming the DynamoDB ledger table for `--aws` (`--table` wins). */
export const LEDGER_TABLE_VARIABLE = "SHIPLINE_LEDGER_TABLE";

/** Exit code of a command that found nothing to show (a commit or app the ledger never saw). */
export const EXIT_NOT_FOUND = 3;

/** Flags of the commands that read the ledger. */
export const LEDGER_FLAGS = {
  ...OUTPUT_FLAGS,
  aws: { type: "boolean" },
  table: { type: "string" },
  "data-dir": { type: "string" },
  "store-dir": { type: "string" },
  config: { type: "string" },
} as const;

/** The help lines of the ledger flags other than the output format. */
export const LEDGER_OPTIONS: readonly CommandOption[] = [
  {
    flag: "--config FILE",
    text: "the configuration, for environment order and production (default shipline.config.yaml)",
  },
  { flag: "--data-dir DIR", text: "the local runtime's data directory (default .shipline)" },
  { flag: "--store-dir DIR", text: "the local store directory (default <data-dir>/store)" },
  { flag: "--aws", text: "read the deployed ledger (DynamoDB) with the default AWS credentials and region" },
  {
    flag: "--table NAME",
    text: `with --aws: the ledger table (default: $${LEDGER_TABLE_VARIABLE}, the stack's LedgerTableName output)`,
  },
];

/** The ledger flags' values. */
export interface LedgerFlagValues {
  readonly aws?: boolean;
  readonly table?: string;
  readonly "data-dir"?: string;
  readonly "store-dir"?: string;
  readonly config?: string;
}

/** An opened ledger and where it is, for messages. */
export interface OpenedLedger {
  readonly reader: LedgerReader;
  readonly where: string;
  /** Releases the client (DynamoDB); a no-op for the file store. */
  close(): void;
}

/**
 * Opens the ledger a command reads: by default the local runtime's file store
 * (`<data-dir>/store/ledger.json`, or `--store-dir`), read directly so the runtime need not run;
 * with `--aws`, the DynamoDB table named by `--table` or `SHIPLINE_LEDGER_TABLE`, with the default
 * AWS credentials and region.
 *
 * @example
 * ```ts
 * const ledger = openLedger(io, values);
 * try { await ledger.reader.apps(); } finally { ledger.close(); }
 * ```
 */
export function openLedger(io: CommandIo, values: LedgerFlagValues): OpenedLedger {
  if (values.aws) {
    const table = values.table ?? io.env[LEDGER_TABLE_VARIABLE];
    if (table === undefined || table === "") {
      throw new UsageError(
        `--aws needs the ledger table: pass --table <name> or set ${LEDGER_TABLE_VARIABLE} (the stack's LedgerTableName output)`,
      );
    }
    const region = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
    const client = DynamoDBDocumentClient.from(new DynamoDBClient(region === undefined ? {} : { region }));
    const store = new DynamoDbDocumentStore({ client, tables: { [LEDGER_TABLE]: table } });
    return {
      reader: new LedgerReader({ store }),
      where: `DynamoDB table ${table}`,
      close: () => client.destroy(),
    };
  }
  const dataDir = resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR);
  const directory =
    values["store-dir"] === undefined ? join(dataDir, "store") : resolve(io.cwd, values["store-dir"]);
  const store = new FileDocumentStore({ directory });
  return {
    reader: new LedgerReader({ store }),
    where: join(directory, `${LEDGER_TABLE}.json`),
    close: () => undefined,
  };
}

/**
 * The configured environments, for telling production and manual approvals apart: `--config`, else
 * `shipline.config.yaml` in the working directory when there is one, else undefined (a named file
 * that is missing or invalid is an error).
 *
 * @example
 * ```ts
 * const environments = await configuredEnvironments(io, values.config);
 * ```
 */
export async function configuredEnvironments(
  io: CommandIo,
  config: string | undefined,
): Promise<readonly EnvironmentConfig[] | undefined> {
  if (config !== undefined) return (await loadConfigFile(resolve(io.cwd, config))).environments;
  const file = resolve(io.cwd, CONFIG_FILE_NAME);
  try {
    await access(file);
  } catch {
    return undefined;
  }
  return (await loadConfigFile(file)).environments;
}

/**
 * A duration as people read it: `45s`, `3m05s`, `2h04m`, `3d04h`.
 *
 * @example
 * ```ts
 * formatDuration(185); // "3m05s"
 * ```
 */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole}s`;
  const pad = (value: number) => String(value).padStart(2, "0");
  if (whole < 3600) return `${Math.floor(whole / 60)}m${pad(whole % 60)}s`;
  if (whole < 86_400) return `${Math.floor(whole / 3600)}h${pad(Math.floor((whole % 3600) / 60))}m`;
  return `${Math.floor(whole / 86_400)}d${pad(Math.floor((whole % 86_400) / 3600))}h`;
}

/**
 * Lays rows out in columns two spaces apart; the last column is not padded.
 *
 * @example
 * ```ts
 * io.stdout.write(renderColumns([["APP", "ENV"], ["demo", "staging"]]));
 * ```
 */
export function renderColumns(rows: readonly (readonly string[])[], indent = ""): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, [...cell].length);
    });
  }
  return rows
    .map(
      (row) =>
        indent +
        row
          .map((cell, column) =>
            column === row.length - 1 ? cell : cell + " ".repeat((widths[column] ?? 0) - [...cell].length),
          )
          .join("  ")
          .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join("");
}
