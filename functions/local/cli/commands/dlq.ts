import { appendFile, readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as z from "zod";
import { SHIPLINE_BUS_NAME } from "../../../core/contracts/detail-type.js";
import { readBusEndpoint } from "../../bus/bus-endpoint.js";
import { busLayout, DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { WRITER_DEAD_LETTER_QUEUE } from "../../writer/dead-lettered-intent.js";
import { type Command, type CommandIo, UsageError } from "../command.js";
import {
  isDataFormat,
  OUTPUT_FLAGS,
  outputFormatOf,
  outputOptions,
  renderDocuments,
} from "../output-format.js";
import { parseCommandArgs } from "../parse-command-args.js";
import {
  DEAD_LETTER_QUEUES_VARIABLE,
  readAwsDeadLetters,
  redriveAwsDeadLetters,
} from "./aws-dead-letters.js";
import { regionOf } from "./aws-names.js";
import { renderColumns } from "./ledger-cli.js";

/** One dead letter as `shipline dlq` lists it. */
export interface DeadLetterView {
  /** `bus`: a delivery the local bus gave up; `queue`: a message the writer queue moved aside. */
  readonly kind: "bus" | "queue";
  /** The rule (bus) or the queue it sits in. */
  readonly where: string;
  readonly time: string;
  /** What it was: the event's detail type and journey, or the write intent. */
  readonly what: string;
  readonly attempts: number;
  readonly reason: string;
  /** The event's id (bus), to redrive it. */
  readonly eventId?: string;
  /** True once `shipline dlq --redrive` sent it again. */
  readonly redriven: boolean;
}

const busDeadLetter = z.object({
  time: z.string(),
  rule: z.string(),
  event: z.object({
    id: z.string(),
    "detail-type": z.string(),
    detail: z.looseObject({ app: z.string().nullish(), commit: z.string().nullish() }),
  }),
  error: z.object({ message: z.string(), code: z.string().optional() }),
  attempts: z.number(),
  reason: z.string(),
});

const archiveLine = z.object({ archivedAt: z.string(), event: z.object({ id: z.string() }) });

const queueJournal = z.object({
  messages: z.array(z.object({ body: z.string(), sentAt: z.number(), receiveCount: z.number() })),
});

const redrivenLine = z.object({ eventId: z.string(), rule: z.string() });

/**
 * `shipline dlq`: lists the dead letters of the local runtime, the deliveries the bus gave up
 * (`<data-dir>/bus/dead-letters.jsonl`: rule, event, attempts, the target's own error) and the
 * intents the writer's queue moved to its dead-letter queue; `--redrive` sends the bus's dead
 * letters again to their rule through the running bus (EventBridge's `StartReplay`, one event at a
 * time) and marks them redriven. Exit codes: 0 none waiting (or all redriven), 1 dead letters
 * wait, 2 bad usage.
 *
 * @example
 * ```sh
 * shipline dlq
 * shipline dlq --redrive
 * ```
 */
export const dlqCommand: Command = {
  name: "dlq",
  summary: "List the dead letters (local runtime or AWS), and redrive them",
  usage:
    "shipline dlq [--redrive] [-o table|json|yaml] [--data-dir DIR] [--endpoint-url URL] [--aws [--queue URL]...]",
  options: [
    { flag: "--redrive", text: "send the bus's dead letters again to their rule (the runtime must run)" },
    ...outputOptions(["table", "json", "yaml"]),
    { flag: "--data-dir DIR", text: "the local runtime's data directory (default .shipline)" },
    { flag: "--endpoint-url URL", text: "the local bus (default: the bus URL in <data-dir>/endpoints.json)" },
    {
      flag: "--aws",
      text: "read the deployed stack's dead-letter queues (SQS) with the default AWS credentials and region",
    },
    {
      flag: "--queue URL",
      text: `with --aws: a dead-letter queue, repeatable (default: $${DEAD_LETTER_QUEUES_VARIABLE}, the stack's DeadLetterQueueUrls output)`,
    },
  ],
  details:
    "With --aws, the messages stay in their queues (read with a visibility timeout of 0); --redrive starts SQS's move of a queue's own dead letters back to their source queue and prints, for EventBridge's, the replay that sends each event again to its rule. Exit codes: 0 no dead letter waits, 1 dead letters wait (after --redrive: one could not be sent, or EventBridge's wait for their replay), 2 bad usage.",
  async run(args, io) {
    const { values } = parseCommandArgs(args, {
      ...OUTPUT_FLAGS,
      redrive: { type: "boolean" },
      "data-dir": { type: "string" },
      "endpoint-url": { type: "string" },
      aws: { type: "boolean" },
      queue: { type: "string", multiple: true },
    });
    const format = outputFormatOf(values, ["table", "json", "yaml"]);
    if (values.aws === true) return await runOnAws(io, values.queue ?? [], values.redrive === true, format);
    if (values.queue !== undefined) throw new UsageError("--queue needs --aws");
    const dataDir = resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR);
    let letters = await deadLettersOf(dataDir);
    if (values.redrive === true) {
      const failed = await redrive(io, dataDir, values["endpoint-url"], letters);
      letters = await deadLettersOf(dataDir);
      if (failed > 0) io.stderr.write(`shipline dlq: ${failed} dead letter(s) could not be sent again\n`);
    }
    if (isDataFormat(format)) {
      io.stdout.write(await renderDocuments(format, letters));
    } else if (letters.length === 0) {
      io.stdout.write(`No dead letters in ${dataDir}.\n`);
    } else {
      io.stdout.write(
        renderColumns([
          ["TIME", "WHERE", "WHAT", "ATTEMPTS", "STATE", "REASON"],
          ...letters.map((letter) => [
            letter.time.slice(0, 19),
            letter.where,
            letter.what,
            String(letter.attempts),
            letter.redriven ? "redriven" : "waiting",
            letter.reason,
          ]),
        ]),
      );
    }
    return letters.some((letter) => !letter.redriven) ? 1 : 0;
  },
};

/** `dlq --aws`: lists the deployed stack's dead letters and, with `--redrive`, redrives what SQS can. */
async function runOnAws(
  io: CommandIo,
  queueFlags: readonly string[],
  redrive: boolean,
  format: ReturnType<typeof outputFormatOf>,
): Promise<number> {
  const urls =
    queueFlags.length > 0
      ? queueFlags
      : (io.env[DEAD_LETTER_QUEUES_VARIABLE] ?? "")
          .split(",")
          .map((url) => url.trim())
          .filter((url) => url !== "");
  if (urls.length === 0) {
    throw new UsageError(
      `dlq --aws needs the dead-letter queues: set ${DEAD_LETTER_QUEUES_VARIABLE} to the stack's DeadLetterQueueUrls output, or pass --queue URL`,
    );
  }
  const { SQSClient } = await import("@aws-sdk/client-sqs");
  const client = new SQSClient(regionOf(io.env));
  try {
    const queues = await readAwsDeadLetters(client, urls);
    const redrives = redrive ? await redriveAwsDeadLetters(client, queues) : [];
    const letters = queues.flatMap((queue) => queue.letters);
    if (isDataFormat(format)) {
      io.stdout.write(
        await renderDocuments(
          format,
          queues.map((queue) => ({ ...queue, redrive: redrives.find((done) => done.arn === queue.arn) })),
        ),
      );
    } else {
      const waiting = queues.filter((queue) => queue.count > 0);
      io.stdout.write(
        waiting.length === 0
          ? `No dead letters in ${urls.length} queue(s).\n`
          : renderColumns([
              ["TIME", "WHERE", "WHAT", "ATTEMPTS", "REASON"],
              ...letters.map((letter) => [
                letter.time.slice(0, 19),
                letter.where,
                letter.what,
                String(letter.attempts),
                letter.reason,
              ]),
            ]),
      );
      for (const queue of waiting) {
        if (queue.count > queue.letters.length) {
          io.stdout.write(`${queue.url}: ${queue.count - queue.letters.length} more not shown\n`);
        }
      }
      for (const done of redrives) io.stdout.write(`Redrive of ${done.queue}: ${done.detail}\n`);
    }
    const left = queues.some(
      (queue) =>
        queue.count > 0 && !redrives.some((done) => done.outcome === "started" && done.arn === queue.arn),
    );
    return left ? 1 : 0;
  } finally {
    client.destroy();
  }
}

/** The dead letters of a data directory: the bus's, then the writer queue's. */
async function deadLettersOf(dataDir: string): Promise<DeadLetterView[]> {
  const layout = busLayout(dataDir);
  const redriven = new Set(
    (await linesOf(redrivenFile(dataDir), redrivenLine)).map((line) => `${line.eventId}\n${line.rule}`),
  );
  const bus = (await linesOf(layout.deadLetters, busDeadLetter)).map(
    (letter): DeadLetterView => ({
      kind: "bus",
      where: letter.rule,
      time: letter.time,
      what: `${letter.event["detail-type"]} ${letter.event.detail.app ?? "-"}@${(letter.event.detail.commit ?? "").slice(0, 7)}`,
      attempts: letter.attempts,
      reason: `${letter.reason}: ${letter.error.code === undefined ? "" : `${letter.error.code} `}${letter.error.message}`,
      eventId: letter.event.id,
      redriven: redriven.has(`${letter.event.id}\n${letter.rule}`),
    }),
  );
  const journal = await readFile(join(dataDir, "queues", `${WRITER_DEAD_LETTER_QUEUE}.json`), "utf8").catch(
    () => undefined,
  );
  const parsed = journal === undefined ? undefined : queueJournal.safeParse(JSON.parse(journal));
  const queued = (parsed?.success ? parsed.data.messages : []).map(
    (message): DeadLetterView => ({
      kind: "queue",
      where: WRITER_DEAD_LETTER_QUEUE,
      time: new Date(message.sentAt).toISOString(),
      what: intentOf(message.body),
      attempts: message.receiveCount,
      reason:
        "the writer could not carry it out (see Step Failed WRITE_INTENT_DEAD_LETTERED in shipline events)",
      redriven: false,
    }),
  );
  return [...bus, ...queued];
}

/** Sends the bus's waiting dead letters again, each to its rule; resolves with how many failed. */
async function redrive(
  io: CommandIo,
  dataDir: string,
  endpointUrl: string | undefined,
  letters: readonly DeadLetterView[],
): Promise<number> {
  const waiting = letters.filter((letter) => letter.kind === "bus" && !letter.redriven);
  if (waiting.length === 0) return 0;
  const archivedAt = new Map(
    (await linesOf(busLayout(dataDir).archive, archiveLine)).map((line) => [line.event.id, line.archivedAt]),
  );
  const { EventBridgeClient, StartReplayCommand } = await import("@aws-sdk/client-eventbridge");
  const region = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION ?? "us-east-1";
  const client = new EventBridgeClient({
    region,
    endpoint: endpointUrl ?? (await readBusEndpoint(dataDir)),
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  const arn = (resource: string) => `arn:aws:events:${region}:000000000000:${resource}`;
  let failed = 0;
  try {
    for (const letter of waiting) {
      const at = letter.eventId === undefined ? undefined : archivedAt.get(letter.eventId);
      if (at === undefined || letter.eventId === undefined) {
        failed += 1;
        continue;
      }
      const from = new Date(at);
      // The archive orders by time of archiving: a window of one millisecond holds this event.
      await client.send(
        new StartReplayCommand({
          ReplayName: `dlq-${letter.eventId.slice(0, 8)}-${Date.now()}`,
          EventSourceArn: arn(`archive/${SHIPLINE_BUS_NAME}`),
          EventStartTime: from,
          EventEndTime: new Date(from.getTime() + 1),
          Destination: {
            Arn: arn(`event-bus/${SHIPLINE_BUS_NAME}`),
            FilterArns: [arn(`rule/${SHIPLINE_BUS_NAME}/${letter.where}`)],
          },
        }),
      );
      await appendFile(
        redrivenFile(dataDir),
        `${JSON.stringify({ eventId: letter.eventId, rule: letter.where })}\n`,
      );
      io.stdout.write(`Redriven: ${letter.what} to ${letter.where}\n`);
    }
  } finally {
    client.destroy();
  }
  return failed;
}

function redrivenFile(dataDir: string): string {
  return join(dataDir, "bus", "redriven.jsonl");
}

async function linesOf<S extends z.ZodType>(file: string, schema: S): Promise<z.output<S>[]> {
  const text = await readFile(file, "utf8").catch(() => "");
  return text.split("\n").flatMap((line) => {
    if (line.trim() === "") return [];
    try {
      const parsed = schema.safeParse(JSON.parse(line));
      return parsed.success ? [parsed.data] : [];
    } catch {
      return [];
    }
  });
}

function intentOf(body: string): string {
  try {
    const intent = z
      .object({
        intentId: z.string(),
        app: z.string(),
        environment: z.string(),
        image: z.object({ tag: z.string() }),
      })
      .safeParse(JSON.parse(body));
    return intent.success
      ? `write intent ${intent.data.intentId}: ${intent.data.app} ${intent.data.image.tag} into ${intent.data.environment}`
      : "a message that is not a write intent";
  } catch {
    return "a message that is not JSON";
  }
}
