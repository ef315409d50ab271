import { Duration, Validations } from "aws-cdk-lib";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";

/** SQS keeps a message at most 14 days. */
const MAX_RETENTION = Duration.days(14);

/** Properties of a {@link DeadLetterQueue}. */
export interface DeadLetterQueueProps {
  /**
   * How long an undelivered event waits for an operator to redrive it.
   *
   * @default Duration.days(14) - SQS's maximum, so that a long weekend loses nothing
   */
  readonly retentionPeriod?: Duration;
}

/**
 * The queue where EventBridge puts the events it could not deliver to a rule's target: encrypted
 * (SSE-SQS), TLS only, and kept as long as SQS allows. Alarms watch its depth.
 *
 * @example
 * ```ts
 * const dlq = new DeadLetterQueue(this, "StartBuildDeadLetters");
 * rule.addTarget(new targets.LambdaFunction(fn, { deadLetterQueue: dlq.queue }));
 * ```
 */
export class DeadLetterQueue extends Construct {
  /** The queue. */
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps = {}) {
    super(scope, id);
    const retentionPeriod = props.retentionPeriod ?? MAX_RETENTION;
    const seconds = retentionPeriod.toSeconds();
    if (seconds < 60 || seconds > MAX_RETENTION.toSeconds()) {
      throw new ShiplineError({
        code: "CONSTRUCT_PROPS_INVALID",
        message: `${this.node.path}: retentionPeriod is ${retentionPeriod.toHumanString()}; SQS keeps messages from 1 minute to 14 days, so pick a Duration in that range`,
        data: { construct: this.node.path, retentionSeconds: seconds },
      });
    }
    this.queue = new sqs.Queue(this, "Queue", {
      retentionPeriod,
      enforceSSL: true,
      // SSE-SQS rather than a customer managed key: EventBridge can write to it with no key policy.
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    Validations.of(this.queue).acknowledge({
      id: "AwsSolutions-SQS3",
      reason:
        "This queue is itself the dead-letter queue of EventBridge rule targets (DeadLetterConfig); cdk-nag only recognises queues named in an SQS redrive policy as dead-letter queues.",
    });
  }
}

/**
 * Every dead-letter queue under a scope: those of EventBridge rule targets ({@link DeadLetterQueue})
 * and those queues name in their redrive policy (the writer's, the agents'), each once. The stack
 * puts their URLs in its `DeadLetterQueueUrls` output, which `shipline dlq --aws` reads.
 *
 * @example
 * ```ts
 * new CfnOutput(stack, "DeadLetterQueueUrls", { value: Fn.join(",", deadLetterQueuesOf(stack).map((queue) => queue.queueUrl)) });
 * ```
 */
export function deadLetterQueuesOf(scope: Construct): sqs.IQueue[] {
  const queues = new Set<sqs.IQueue>();
  for (const child of scope.node.findAll()) {
    if (child instanceof DeadLetterQueue) queues.add(child.queue);
    if (child instanceof sqs.Queue && child.deadLetterQueue !== undefined)
      queues.add(child.deadLetterQueue.queue);
  }
  return [...queues];
}
