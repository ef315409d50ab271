import {
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
} from "@aws-sdk/client-sqs";
import * as z from "zod";
import type { DeadLetterView } from "./dlq.js";

/** The variable naming the dead-letter queues for `dlq --aws` (`--queue` wins): the stack's DeadLetterQueueUrls output. */
export const DEAD_LETTER_QUEUES_VARIABLE = "SHIPLINE_DEAD_LETTER_QUEUES";

/** The most messages `dlq --aws` shows of one queue (one ReceiveMessage call; SQS allows 10). */
const SHOWN_PER_QUEUE = 10;

/** A dead letter on AWS; an EventBridge one names the replay that sends its event again. */
export interface AwsDeadLetter extends DeadLetterView {
  /** `--from … --to … --rule …` of `shipline replay --aws`: the event's second, to its rule only. */
  readonly replay?: string;
}

/** One dead-letter queue of the deployed stack, as `dlq --aws` reads it. */
export interface AwsDeadLetterQueue {
  readonly url: string;
  readonly arn: string;
  /** Messages in it (SQS's approximate count). */
  readonly count: number;
  /** The messages read (at most 10, left in the queue). */
  readonly letters: readonly AwsDeadLetter[];
  /** `bus`: EventBridge put the events its rule could not deliver; `queue`: SQS moved them after too many receives. */
  readonly kind: "bus" | "queue" | "empty";
}

const eventBody = z.looseObject({
  id: z.string(),
  time: z.string().optional(),
  "detail-type": z.string(),
  detail: z.looseObject({ app: z.string().nullish(), commit: z.string().nullish() }),
});

const intentBody = z.looseObject({
  intentId: z.string(),
  app: z.string(),
  environment: z.string(),
  image: z.looseObject({ tag: z.string() }),
});

/**
 * Reads the deployed stack's dead-letter queues without taking anything out of them: per queue its
 * count and up to 10 messages (received with a visibility timeout of 0, so they stay visible).
 * EventBridge's dead letters carry the rule, the target and the target's error as message
 * attributes (`RULE_ARN`, `TARGET_ARN`, `ERROR_CODE`, `ERROR_MESSAGE`); a queue's own dead letters
 * (the writer's and the agents' queues) carry the body that failed.
 *
 * @example
 * ```ts
 * const queues = await readAwsDeadLetters(new SQSClient({}), ["https://sqs.eu-west-1.amazonaws.com/123456789012/dlq"]);
 * ```
 */
export async function readAwsDeadLetters(
  client: SQSClient,
  queueUrls: readonly string[],
): Promise<AwsDeadLetterQueue[]> {
  const queues: AwsDeadLetterQueue[] = [];
  for (const url of queueUrls) {
    const attributes = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ["QueueArn", "ApproximateNumberOfMessages"],
      }),
    );
    const arn = attributes.Attributes?.QueueArn ?? url;
    const count = Number(attributes.Attributes?.ApproximateNumberOfMessages ?? "0");
    const received =
      count === 0
        ? []
        : ((
            await client.send(
              new ReceiveMessageCommand({
                QueueUrl: url,
                MaxNumberOfMessages: SHOWN_PER_QUEUE,
                VisibilityTimeout: 0,
                WaitTimeSeconds: 0,
                MessageAttributeNames: ["All"],
                MessageSystemAttributeNames: ["SentTimestamp", "ApproximateReceiveCount"],
              }),
            )
          ).Messages ?? []);
    const letters = received.map((message) => letterOf(message, nameOf(arn)));
    const kind =
      letters.length === 0 ? "empty" : letters.some((letter) => letter.kind === "bus") ? "bus" : "queue";
    queues.push({ url, arn, count: Math.max(count, letters.length), letters, kind });
  }
  return queues;
}

/** What a redrive did with one queue. */
export interface AwsRedrive {
  /** The queue's name. */
  readonly queue: string;
  readonly arn: string;
  /** `started`: SQS moves its messages back to their source queue; `left`: nothing was moved, with why. */
  readonly outcome: "started" | "left";
  readonly detail: string;
}

/**
 * Redrives the dead-letter queues SQS can redrive: a queue's own dead letters go back to their
 * source queue by SQS's message move task (`StartMessageMoveTask`, the console's "Start DLQ
 * redrive"). EventBridge's dead letters have no source queue: they are left, with the command that
 * sends the event again from the bus's archive.
 *
 * @example
 * ```ts
 * const redrives = await redriveAwsDeadLetters(client, await readAwsDeadLetters(client, urls));
 * ```
 */
export async function redriveAwsDeadLetters(
  client: SQSClient,
  queues: readonly AwsDeadLetterQueue[],
): Promise<AwsRedrive[]> {
  const redrives: AwsRedrive[] = [];
  for (const queue of queues) {
    if (queue.kind === "empty") continue;
    if (queue.kind === "bus") {
      const commands = queue.letters.flatMap((letter) =>
        letter.replay === undefined ? [] : [`shipline replay --aws ${letter.replay}`],
      );
      redrives.push({
        queue: nameOf(queue.arn),
        arn: queue.arn,
        outcome: "left",
        detail: `EventBridge's dead letters have no source queue; send each event again from the bus's archive to its rule${commands.length === 0 ? "" : `: ${[...new Set(commands)].join("; ")}`}`,
      });
      continue;
    }
    const task = await client.send(new StartMessageMoveTaskCommand({ SourceArn: queue.arn }));
    redrives.push({
      queue: nameOf(queue.arn),
      arn: queue.arn,
      outcome: "started",
      detail: `SQS moves its ${queue.count} message(s) back to their source queue (task ${task.TaskHandle ?? "started"})`,
    });
  }
  return redrives;
}

/** A dead-letter message as `dlq` lists it. */
function letterOf(message: Message, queue: string): AwsDeadLetter {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const sent = Number(message.Attributes?.SentTimestamp ?? Number.NaN);
  const time = Number.isNaN(sent) ? "" : new Date(sent).toISOString();
  const rule = attribute("RULE_ARN");
  const body = parsedBody(message.Body ?? "");
  if (rule !== undefined) {
    const event = eventBody.safeParse(body);
    const error = [attribute("ERROR_CODE"), attribute("ERROR_MESSAGE")].filter(Boolean).join(" ");
    return {
      kind: "bus",
      where: nameOf(rule),
      time,
      what: event.success
        ? `${event.data["detail-type"]} ${event.data.detail.app ?? "-"}@${(event.data.detail.commit ?? "").slice(0, 7)}`
        : "an event that is not JSON",
      attempts: Number(attribute("RETRY_ATTEMPTS") ?? "0") + 1,
      reason: `EventBridge could not deliver it to ${nameOf(attribute("TARGET_ARN") ?? "its target")}: ${error || "no error given"}`,
      ...(event.success ? { eventId: event.data.id } : {}),
      ...(event.success ? replayOf(event.data.time, nameOf(rule)) : {}),
      redriven: false,
    };
  }
  const intent = intentBody.safeParse(body);
  return {
    kind: "queue",
    where: queue,
    time,
    what: intent.success
      ? `write intent ${intent.data.intentId}: ${intent.data.app} ${intent.data.image.tag} into ${intent.data.environment}`
      : `message ${message.MessageId ?? ""}`.trim(),
    attempts: Number(message.Attributes?.ApproximateReceiveCount ?? "0"),
    reason: "its queue's consumer failed it too often (see Step Failed in shipline events)",
    redriven: false,
  };
}

/** The replay window of an event: its second (archives keep event times to the second). */
function replayOf(time: string | undefined, rule: string): { replay?: string } {
  const at = time === undefined ? Number.NaN : Date.parse(time);
  if (Number.isNaN(at)) return {};
  const from = new Date(Math.floor(at / 1000) * 1000);
  const to = new Date(from.getTime() + 1000);
  return { replay: `--from ${from.toISOString()} --to ${to.toISOString()} --rule ${rule}` };
}

function parsedBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** The last part of an ARN or URL: a queue's, rule's or function's name. */
function nameOf(arnOrUrl: string): string {
  return arnOrUrl.split(/[:/]/).at(-1) ?? arnOrUrl;
}
