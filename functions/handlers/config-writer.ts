import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy, { type MiddyfiedHandler } from "@middy/core";
import type { Context, SQSBatchResponse } from "aws-lambda";
import type { ConfigRepoConfig } from "../core/config/config-repo.js";
import { DetailType } from "../core/contracts/detail-type.js";
import { ShiplineError } from "../core/errors/shipline-error.js";
import type { ConfigRepository } from "../core/ports/config-repository.js";
import type { PublishRequest } from "../core/ports/event-publisher.js";
import type { PullRequestHost } from "../core/ports/pull-request-host.js";
import type { RetryPolicy } from "../core/writer/retry-policy.js";
import { writeConfig } from "../core/writer/write-config.js";
import { type WriterMessage, writerBatchGroups } from "./config-writer-batch.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { StepMetric } from "./shared/create-step-handler.js";

const STEP = "config-writer";

/** What the config writer needs beyond every step's dependencies. */
export interface ConfigWriterDeps extends StepDeps {
  /**
   * The config repository of a FIFO message group, or `undefined` for a group the function does
   * not write (its intents are recorded as `Step Failed` and dropped).
   */
  readonly repositoryFor: (groupId: string) => ConfigRepository | undefined;
  /** `configRepo`: the commits' author and subject template. */
  readonly configRepo: Pick<ConfigRepoConfig, "author" | "commitMessage">;
  /** Opens the pull requests of environments with `approval: pull-request` (config: `configRepo.pullRequest`). */
  readonly pullRequests?: PullRequestHost;
  /** Push attempts and back-off on a rejected push. @default - writeConfig's WRITER_RETRY */
  readonly retry?: RetryPolicy;
  /** Waits between push attempts. @default - a timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The config writer (step 7) on Lambda, fed by the config repository's FIFO queue with
 * `reportBatchItemFailures`: the batch's records are split into their message groups (one per
 * repository and branch), and each group's write intents become one `writeConfig` call, so one
 * commit per group. Outcomes are published by `writeConfig` (`Config Committed`, `Pull Request
 * Opened` for an environment that asks for review, and `Step Failed` for an intent that cannot be
 * applied).
 *
 * - A record whose body is not a write intent, a group the function does not write, and a
 *   permanent write error are recorded as `Step Failed` and not retried.
 * - A retryable failure (a push still rejected after its attempts, the git host or the bus down)
 *   puts the group's messages back on the queue: the handler reports the first failed message and
 *   every later message of the same group in `batchItemFailures` (a FIFO group must never run
 *   ahead of a message that failed), so they come back in order and, after the queue's
 *   `maxReceiveCount`, go to its dead-letter queue. Other groups of the batch are not affected.
 * - An event that is not an SQS batch throws, so the whole batch is retried.
 *
 * @example
 * ```ts
 * export const handler = makeConfigWriterHandler({ ...deps, repositoryFor: (group) => repositories.get(group), configRepo: config.configRepo });
 * ```
 */
export function makeConfigWriterHandler(
  deps: ConfigWriterDeps,
): MiddyfiedHandler<unknown, SQSBatchResponse, Error, Context> {
  const { logger, metrics, tracer } = deps;
  const handle = async (raw: unknown, context: Context): Promise<SQSBatchResponse> => {
    logger.setCorrelationId(context.awsRequestId);
    logger.appendKeys({ step: STEP });
    const failed: string[] = [];
    for (const [groupId, messages] of writerBatchGroups(raw)) {
      failed.push(...(await writeGroup(deps, groupId, messages)));
    }
    metrics.addMetric(failed.length === 0 ? StepMetric.Succeeded : StepMetric.Retried, MetricUnit.Count, 1);
    return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
  };
  return middy<unknown, SQSBatchResponse, Error, Context>()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics, { captureColdStartMetric: true }))
    .handler(handle);
}

/** Writes one group's intents as one commit; resolves with the ids of the messages to retry. */
async function writeGroup(
  deps: ConfigWriterDeps,
  groupId: string,
  messages: readonly WriterMessage[],
): Promise<string[]> {
  const repo = deps.repositoryFor(groupId);
  const writable = messages.flatMap((message, index) =>
    message.intent instanceof ShiplineError ? [] : [{ index, message, intent: message.intent }],
  );
  // The first message that goes back to the queue: it and every later one of the group are retried.
  let retryFrom = messages.length;
  const records: { readonly index: number; readonly request: PublishRequest }[] = [];
  for (const [index, message] of messages.entries()) {
    const error = repo === undefined ? unknownGroup(groupId) : message.intent;
    if (error instanceof ShiplineError) records.push({ index, request: failure(deps, message, error) });
  }
  if (repo !== undefined && writable.length > 0) {
    try {
      const result = await writeConfig({
        repo,
        intents: writable.map(({ intent }) => intent),
        author: deps.configRepo.author,
        messageTemplate: deps.configRepo.commitMessage,
        clock: deps.clock,
        publisher: deps.publisher,
        ...(deps.pullRequests === undefined ? {} : { pullRequests: deps.pullRequests }),
        ...(deps.retry === undefined ? {} : { retry: deps.retry }),
        ...(deps.sleep === undefined ? {} : { sleep: deps.sleep }),
      });
      deps.logger.info("Wrote the group's intents", {
        groupId,
        configCommit: result.commit,
        head: result.head,
        attempts: result.attempts,
        outcomes: result.outcomes.map(({ intentId, status, file }) => ({ intentId, status, file })),
      });
    } catch (error) {
      if (!(error instanceof ShiplineError) || error.retryable) {
        deps.logger.error("Writing the group failed; its messages go back to the queue", { groupId, error });
        retryFrom = writable[0]?.index ?? retryFrom;
      } else {
        deps.logger.error("Writing the group failed permanently; recording Step Failed", {
          groupId,
          code: error.code,
          error,
        });
        for (const { index, message } of writable) {
          records.push({ index, request: failure(deps, message, error) });
        }
      }
    }
  }
  const toRecord = records.filter((record) => record.index < retryFrom).sort((a, b) => a.index - b.index);
  const first = toRecord[0];
  if (first !== undefined) {
    try {
      await deps.publisher.publish(toRecord.map((record) => record.request));
      deps.metrics.addMetric(StepMetric.Failed, MetricUnit.Count, toRecord.length);
      deps.logger.warn("Recorded Step Failed for messages the writer cannot carry out", {
        groupId,
        messageIds: toRecord.map((record) => messages[record.index]?.messageId),
      });
    } catch (error) {
      deps.logger.error("Could not record Step Failed; the messages go back to the queue", {
        groupId,
        error,
      });
      retryFrom = Math.min(retryFrom, first.index);
    }
  }
  return messages.slice(retryFrom).map((message) => message.messageId);
}

function unknownGroup(groupId: string): ShiplineError {
  return new ShiplineError({
    code: "WRITE_GROUP_UNKNOWN",
    message: `message group '${groupId}' is not the group of the config repository this writer serves; send intents with writeIntentGroupId(configRepo.url, configRepo.branch)`,
    data: { groupId },
  });
}

/** The `Step Failed` that records a message the writer could not carry out. */
function failure(deps: StepDeps, message: WriterMessage, error: ShiplineError): PublishRequest {
  const intent = message.intent instanceof ShiplineError ? undefined : message.intent;
  return {
    detailType: DetailType.StepFailed,
    detail: {
      app: intent?.app ?? null,
      commit: intent?.commit ?? null,
      correlationId: intent?.correlationId ?? message.messageId,
      step: STEP,
      code: error.code,
      reason: error.message,
      failedEventId: intent?.intentId ?? message.messageId,
      data: {
        ...error.data,
        messageId: message.messageId,
        groupId: message.groupId,
        ...(intent === undefined ? {} : { environment: intent.environment, file: intent.target.file }),
      },
    },
    time: deps.clock.now(),
  };
}
