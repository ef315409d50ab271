import { resolve } from "node:path";
import {
  DescribeArchiveCommand,
  DescribeEventBusCommand,
  EventBridgeClient,
  ListArchivesCommand,
  ListRulesCommand,
  StartReplayCommand,
  type StartReplayCommandOutput,
} from "@aws-sdk/client-eventbridge";
import { SHIPLINE_BUS_NAME } from "../../../core/contracts/detail-type.js";
import { ruleNamed } from "../../../core/topology/rule-topology.js";
import { readBusEndpoint } from "../../bus/bus-endpoint.js";
import { DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { type Command, type CommandIo, UsageError } from "../command.js";
import {
  isDataFormat,
  OUTPUT_FLAGS,
  outputFormatOf,
  outputOptions,
  renderDocuments,
} from "../output-format.js";
import { parseCommandArgs } from "../parse-command-args.js";
import { EVENT_BUS_VARIABLE } from "./aws-names.js";

/**
 * `shipline replay --from <time> --to <time>`: replays the archived events of the window (by time
 * of archiving, `--to` exclusive, default now) to every rule or to the `--rule`s named (topology rule
 * names, repeatable), each with `replay-name` set. Locally it asks the running runtime's bus through
 * EventBridge's own `StartReplay` (the real SDK client, `--endpoint-url` or `<data-dir>/endpoints.json`);
 * with `--aws` it finds the archive of Shipline's bus (`--bus` or `SHIPLINE_EVENT_BUS`; `--archive`
 * to pick one) and the deployed rules by their topology description, and starts an EventBridge
 * replay. Times are ISO 8601 or a duration back from now (`2h`).
 *
 * Exit codes: 0 the replay started; 1 it was refused or failed; 2 bad usage.
 *
 * @example
 * ```sh
 * shipline replay --from 2h --rule ledger-on-shipline-event --name refill-ledger
 * ```
 */
export const replayCommand: Command = {
  name: "replay",
  summary: "Replay archived events to all rules or chosen ones",
  usage:
    "shipline replay --from TIME [--to TIME] [--rule RULE]... [--name NAME] [-o table|json|yaml] [--data-dir DIR] [--endpoint-url URL] [--aws [--bus NAME] [--archive NAME]]",
  options: [
    {
      flag: "--from TIME",
      text: "replay events archived since an ISO time or a duration back from now (2h)",
    },
    { flag: "--to TIME", text: "until this time, exclusive (default now)" },
    { flag: "--rule RULE", text: "only to this topology rule (repeatable; default every rule)" },
    { flag: "--name NAME", text: "the replay's name (default cli-<time>)" },
    ...outputOptions(["table", "json", "yaml"]),
    { flag: "--data-dir DIR", text: "the local runtime's data directory (default .shipline)" },
    { flag: "--endpoint-url URL", text: "the local bus (default: the bus URL in <data-dir>/endpoints.json)" },
    {
      flag: "--aws",
      text: "replay from the deployed bus's archive, with the default AWS credentials and region",
    },
    {
      flag: "--bus NAME",
      text: `with --aws: Shipline's bus (default $${EVENT_BUS_VARIABLE}, the stack's EventBusName output)`,
    },
    { flag: "--archive NAME", text: "with --aws: the archive, when the bus has several" },
  ],
  details: "Exit codes: 0 the replay started, 1 it was refused or failed, 2 bad usage.",
  async run(args, io) {
    const values = parseReplayArgs(args);
    const format = outputFormatOf(values, ["table", "json", "yaml"]);
    const now = new Date();
    if (values.from === undefined) {
      throw new UsageError(
        "--from is required: say where the replay starts, e.g. --from 2h or --from 2026-11-24T05:00:00Z",
      );
    }
    const from = parseTime("--from", values.from, now);
    // The window's end is exclusive: without --to it ends just after now, so an event archived in
    // this very millisecond is replayed too.
    const to = values.to === undefined ? new Date(now.getTime() + 1) : parseTime("--to", values.to, now);
    if (from >= to)
      throw new UsageError(`--from ${from.toISOString()} is not before --to ${to.toISOString()}`);
    const rules = values.rule ?? [];
    for (const rule of rules) checkRule(rule);
    const name =
      values.name ??
      `cli-${now
        .toISOString()
        .replace(/[^0-9]/g, "")
        .slice(0, 14)}`;
    const region = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? "us-east-1";
    const client = values.aws
      ? new EventBridgeClient({ region })
      : new EventBridgeClient({
          region,
          endpoint:
            values["endpoint-url"] ??
            (await readBusEndpoint(resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR))),
          credentials: { accessKeyId: "local", secretAccessKey: "local" },
          maxAttempts: 1,
        });
    try {
      const request = values.aws
        ? await awsReplayRequest(client, io, { ...values, name, from, to, rules })
        : localReplayRequest({ region, name, from, to, rules });
      const output = await client.send(new StartReplayCommand(request));
      io.stdout.write(
        isDataFormat(format)
          ? await renderDocuments(format, [answerOf(name, output)])
          : describe(name, output, from, to),
      );
      return 0;
    } finally {
      client.destroy();
    }
  },
};

function parseReplayArgs(args: readonly string[]) {
  return parseCommandArgs(args, {
    ...OUTPUT_FLAGS,
    from: { type: "string" },
    to: { type: "string" },
    rule: { type: "string", multiple: true },
    name: { type: "string" },
    aws: { type: "boolean" },
    bus: { type: "string" },
    archive: { type: "string" },
    "data-dir": { type: "string" },
    "endpoint-url": { type: "string" },
  }).values;
}

function parseTime(flag: string, value: string, now: Date): Date {
  const duration = /^(\d+)(s|m|h|d)$/.exec(value);
  const units: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  if (duration) return new Date(now.getTime() - Number(duration[1]) * (units[duration[2] ?? "s"] ?? 1000));
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(time.getTime())) {
    throw new UsageError(`${flag} '${value}' is neither an ISO time nor a duration like 30m, 2h or 1d`);
  }
  return time;
}

function checkRule(rule: string): void {
  try {
    ruleNamed(rule);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

interface ReplayPlan {
  readonly name: string;
  readonly from: Date;
  readonly to: Date;
  readonly rules: readonly string[];
}

/** The local runtime has one bus and one archive: ARNs in the local account name them. */
function localReplayRequest(plan: ReplayPlan & { readonly region: string }) {
  const arn = (resource: string) => `arn:aws:events:${plan.region}:000000000000:${resource}`;
  return {
    ReplayName: plan.name,
    EventSourceArn: arn(`archive/${SHIPLINE_BUS_NAME}`),
    EventStartTime: plan.from,
    EventEndTime: plan.to,
    Destination: {
      Arn: arn(`event-bus/${SHIPLINE_BUS_NAME}`),
      ...(plan.rules.length === 0
        ? {}
        : { FilterArns: plan.rules.map((rule) => arn(`rule/${SHIPLINE_BUS_NAME}/${rule}`)) }),
    },
  };
}

/**
 * The replay request on AWS: the bus's ARN, its archive (the one named, else the only one), and the
 * ARNs of the deployed rules whose description is the topology rule's (CloudFormation names them).
 */
async function awsReplayRequest(
  client: EventBridgeClient,
  io: CommandIo,
  plan: ReplayPlan & { readonly bus?: string; readonly archive?: string },
) {
  const busName = plan.bus ?? io.env[EVENT_BUS_VARIABLE];
  if (busName === undefined || busName === "") {
    throw new UsageError(
      `--aws needs Shipline's bus: pass --bus <name> or set ${EVENT_BUS_VARIABLE} (the stack's EventBusName output)`,
    );
  }
  const bus = await client.send(new DescribeEventBusCommand({ Name: busName }));
  if (bus.Arn === undefined) throw new Error(`EventBridge describes bus ${busName} without an ARN`);
  const archives = (await client.send(new ListArchivesCommand({ EventSourceArn: bus.Arn }))).Archives ?? [];
  const names = archives.flatMap((archive) => archive.ArchiveName ?? []);
  const archiveName = plan.archive ?? (names.length === 1 ? names[0] : undefined);
  if (archiveName === undefined || !names.includes(archiveName)) {
    throw new UsageError(
      names.length === 0
        ? `bus ${busName} has no archive to replay from; deploy the stack, which archives every Shipline event`
        : `pick the archive of bus ${busName} with --archive: ${names.join(", ")}`,
    );
  }
  const archive = await client.send(new DescribeArchiveCommand({ ArchiveName: archiveName }));
  const filterArns = await ruleArns(client, busName, plan.rules);
  return {
    ReplayName: plan.name,
    EventSourceArn: archive.ArchiveArn,
    EventStartTime: plan.from,
    EventEndTime: plan.to,
    Destination: { Arn: bus.Arn, ...(filterArns.length === 0 ? {} : { FilterArns: filterArns }) },
  };
}

async function ruleArns(
  client: EventBridgeClient,
  busName: string,
  rules: readonly string[],
): Promise<string[]> {
  if (rules.length === 0) return [];
  const deployed: { Name?: string; Arn?: string; Description?: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListRulesCommand({ EventBusName: busName, NextToken: nextToken }));
    deployed.push(...(page.Rules ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return rules.map((rule) => {
    const description = ruleNamed(rule).description;
    const match = deployed.find(
      (candidate) => candidate.Name === rule || candidate.Description === description,
    );
    if (match?.Arn === undefined) {
      throw new UsageError(
        `rule ${rule} is not deployed on bus ${busName}; check the stack, or leave --rule out to replay to every rule`,
      );
    }
    return match.Arn;
  });
}

function answerOf(name: string, output: StartReplayCommandOutput) {
  return {
    name,
    replayArn: output.ReplayArn,
    state: output.State,
    stateReason: output.StateReason,
    startedAt: output.ReplayStartTime?.toISOString(),
  };
}

function describe(name: string, output: StartReplayCommandOutput, from: Date, to: Date): string {
  const reason = output.StateReason === undefined ? "" : `: ${output.StateReason}`;
  return `Replay ${name} ${output.State ?? "started"} for events archived from ${from.toISOString()} to ${to.toISOString()}${reason}\n${output.ReplayArn ?? ""}\n`;
}
