import { access } from "node:fs/promises";
import { join, resolve } from "node:path";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { EventBridgePublisher } from "../../../adapters/aws/eventbridge-publisher.js";
import { CONFIG_FILE_NAME, loadConfigFile } from "../../../adapters/local/config-file-loader.js";
import { FileDocumentStore } from "../../../adapters/local/file-document-store.js";
import { SHIPLINE_BUS_NAME } from "../../../core/contracts/detail-type.js";
import { resourceName } from "../../../core/contracts/primitives.js";
import type { PublishRequest } from "../../../core/ports/event-publisher.js";
import { currentImage } from "../../../core/promotion/decide-entry.js";
import { PromotionState } from "../../../core/promotion/promotion-state.js";
import { readBusEndpoint } from "../../bus/bus-endpoint.js";
import { DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { type CommandIo, type CommandOption, NotFoundError, UsageError } from "../command.js";
import { parseCommandArgs } from "../parse-command-args.js";
import { EVENT_BUS_VARIABLE, PROMOTION_TABLE_VARIABLE } from "./aws-names.js";

/** Where the local runtime keeps its DocumentStore tables, under the data directory. */
export const LOCAL_STORE_DIR = "store";

/** Flags every promotion command takes. */
export const COMMON_FLAGS = {
  "data-dir": { type: "string" },
  "store-dir": { type: "string" },
  "endpoint-url": { type: "string" },
  by: { type: "string" },
  commit: { type: "string" },
  config: { type: "string" },
  aws: { type: "boolean" },
  bus: { type: "string" },
  "promotion-table": { type: "string" },
} as const;

/** The help lines of {@link COMMON_FLAGS}. */
export const COMMON_OPTIONS: readonly CommandOption[] = [
  { flag: "--by NAME", text: "who does it (default $USER)" },
  {
    flag: "--commit SHA",
    text: "the source commit the event is about, when the promotion state does not know it",
  },
  {
    flag: "--config FILE",
    text: "the configuration, to check the app and environment (default shipline.config.yaml)",
  },
  { flag: "--data-dir DIR", text: "the local runtime's data directory (default .shipline)" },
  { flag: "--store-dir DIR", text: "the local store directory (default <data-dir>/store)" },
  { flag: "--endpoint-url URL", text: "the local bus (default: the bus URL in <data-dir>/endpoints.json)" },
  {
    flag: "--aws",
    text: "publish on the deployed bus and read promote's table, with the default AWS credentials and region",
  },
  {
    flag: "--bus NAME",
    text: `with --aws: Shipline's bus (default $${EVENT_BUS_VARIABLE}, the stack's EventBusName output)`,
  },
  {
    flag: "--promotion-table NAME",
    text: `with --aws: promote's table (default $${PROMOTION_TABLE_VARIABLE}, the stack's PromotionTableName output)`,
  },
];

/**
 * Parses a promotion command's arguments: exactly `names` positionals, and the given flags.
 * Throws a {@link UsageError} (exit 2) for anything else.
 *
 * @example
 * ```ts
 * const { positionals, values } = parsePromotionArgs(args, ["app", "environment"], { reason: { type: "string" } });
 * ```
 */
export function parsePromotionArgs<const F extends Record<string, { readonly type: "string" | "boolean" }>>(
  args: readonly string[],
  names: readonly string[],
  flags: F,
) {
  const parsed = parseCommandArgs(args, { ...COMMON_FLAGS, ...flags }, { positionals: true });
  if (parsed.positionals.length !== names.length) {
    throw new UsageError(
      `expected ${names.length} arguments (${names.map((name) => `<${name}>`).join(" ")}), got ${parsed.positionals.length}`,
    );
  }
  return parsed;
}

/**
 * Checks an app or environment name given on the command line. Throws a {@link UsageError}.
 *
 * @example
 * ```ts
 * const app = checkName("app", positionals[0]);
 * ```
 */
export function checkName(what: string, value: string | undefined): string {
  const result = resourceName.safeParse(value);
  if (!result.success) {
    throw new UsageError(
      `<${what}> '${value ?? ""}' is not a Shipline name: use lower-case letters, digits and '-' (at most 63 characters)`,
    );
  }
  return result.data;
}

/** What identifies the journey an event belongs to. */
export interface EventSubject {
  readonly commit: string;
  readonly correlationId: string;
}

/**
 * Where a promotion command reads the promotion state of the local runtime: `--store-dir`, else
 * `<data-dir>/store`.
 */
export function promotionStateOf(
  io: CommandIo,
  values: { readonly "data-dir"?: string; readonly "store-dir"?: string },
) {
  const dataDir = resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR);
  const directory =
    values["store-dir"] === undefined ? join(dataDir, LOCAL_STORE_DIR) : resolve(io.cwd, values["store-dir"]);
  return { dataDir, directory, state: new PromotionState({ store: new FileDocumentStore({ directory }) }) };
}

/**
 * The commit and correlation id of an event about (app, environment) when none was given: those
 * of the image the environment runs (or was last asked to run).
 *
 * @example
 * ```ts
 * const subject = await environmentSubject(state, "shop", "production");
 * ```
 */
export async function environmentSubject(
  state: PromotionState,
  app: string,
  environment: string,
): Promise<EventSubject | undefined> {
  const current = currentImage(await state.environment(app, environment));
  if (current === undefined) return undefined;
  const image = await state.image(app, current.digest);
  return {
    commit: current.commit,
    correlationId: image?.correlationId ?? `cli-${current.commit.slice(0, 12)}`,
  };
}

/**
 * Publishes one Shipline event on the running local bus, through the real EventBridge client (the
 * bus speaks PutEvents): `--endpoint-url`, else the `bus` URL in `<data-dir>/endpoints.json`. The
 * detail is checked against its contract first. Resolves with the event id.
 *
 * @example
 * ```ts
 * const eventId = await publishToLocalBus(io, values, { detailType: DetailType.HoldReleased, detail });
 * ```
 */
export async function publishToLocalBus(
  io: CommandIo,
  options: { readonly dataDir: string; readonly endpointUrl?: string },
  request: PublishRequest,
): Promise<string> {
  const endpoint = options.endpointUrl ?? (await readBusEndpoint(options.dataDir));
  const client = new EventBridgeClient({
    endpoint,
    region: io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  try {
    const publisher = new EventBridgePublisher({ client, busName: SHIPLINE_BUS_NAME, maxAttempts: 1 });
    const [result] = await publisher.publish([request]);
    return result?.eventId ?? "";
  } finally {
    client.destroy();
  }
}

/** Who runs the command: `--by`, else the user name from the environment. */
export function actorOf(io: CommandIo, by: string | undefined): string {
  return by ?? io.env.USER ?? io.env.USERNAME ?? "cli";
}

/**
 * Checks that the app and environment a command names exist in the configuration (`--config`,
 * else `shipline.config.yaml` in the working directory, when there is one), so that a mistyped
 * name changes nothing. Throws a {@link NotFoundError} (exit 3) naming the value and the known ones.
 *
 * @example
 * ```ts
 * await checkConfigured(io, values.config, app, environment);
 * ```
 */
export async function checkConfigured(
  io: CommandIo,
  configFile: string | undefined,
  app: string,
  environment: string,
): Promise<void> {
  const file = resolve(io.cwd, configFile ?? CONFIG_FILE_NAME);
  try {
    await access(file);
  } catch {
    if (configFile !== undefined) throw new UsageError(`--config '${configFile}' does not exist`);
    return;
  }
  const config = await loadConfigFile(file);
  if (!config.apps.some((known) => known.name === app)) {
    throw new NotFoundError(
      `no app is named '${app}' in ${file} (apps: ${config.apps.map((known) => known.name).join(", ")}); check the name`,
    );
  }
  if (!config.environments.some((known) => known.name === environment)) {
    throw new NotFoundError(
      `no environment is named '${environment}' in ${file} (environments: ${config.environments.map((known) => known.name).join(", ")}); check the name`,
    );
  }
}
