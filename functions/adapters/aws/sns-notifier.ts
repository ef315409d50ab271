import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { Notification, Notifier } from "../../core/notify/notification.js";
import { snsMessageOf } from "../../core/notify/sns-message.js";

/** Options of {@link SnsNotifier}. */
export interface SnsNotifierOptions {
  /** The SNS client, created once per cold start. */
  readonly client: SNSClient;
  /** The topic notifications are published to. */
  readonly topicArn: string;
}

/** Errors SNS gives again for the same request: retrying cannot help. */
const PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  "AuthorizationErrorException",
  "InvalidParameterException",
  "InvalidParameterValueException",
  "InvalidSecurityException",
  "NotFoundException",
  "EndpointDisabledException",
  "PlatformApplicationDisabledException",
  "ValidationException",
  "AccessDeniedException",
  "KMSDisabledException",
  "KMSInvalidStateException",
  "KMSNotFoundException",
  "KMSAccessDeniedException",
]);

const awsError = z.object({ name: z.string(), message: z.string().optional() });

/**
 * The SNS channel of `notify`: publishes each notification to a topic with a subject (for e-mail
 * subscriptions), a plain-text message, and the `app`, `environment`, `detailType` and `severity`
 * message attributes that subscription filter policies select on. Throttling and service faults are
 * retryable `NOTIFY_SNS_FAILED` errors; a missing topic, a denied publish or a bad request are
 * permanent.
 *
 * @example
 * ```ts
 * const sns = new SnsNotifier({ client: new SNSClient({}), topicArn: "arn:aws:sns:eu-west-1:123456789012:shipline" });
 * await sns.send(notification);
 * ```
 */
export class SnsNotifier implements Notifier {
  readonly channel = "sns";
  readonly #client: SNSClient;
  readonly #topicArn: string;

  constructor(options: SnsNotifierOptions) {
    this.#client = options.client;
    this.#topicArn = options.topicArn;
  }

  /** Publishes the notification to the topic. */
  async send(notification: Notification): Promise<void> {
    const { subject, message, attributes } = snsMessageOf(notification);
    try {
      await this.#client.send(
        new PublishCommand({
          TopicArn: this.#topicArn,
          Subject: subject,
          Message: message,
          MessageAttributes: { ...attributes },
        }),
      );
    } catch (error) {
      const facts = awsError.safeParse(error);
      const errorName = facts.success ? facts.data.name : "UnknownError";
      const permanent = PERMANENT_ERRORS.has(errorName);
      const detail = facts.success && facts.data.message ? `: ${facts.data.message}` : "";
      throw new ShiplineError({
        code: "NOTIFY_SNS_FAILED",
        message: `publishing the ${notification.detailType} notification to ${this.#topicArn} failed with ${errorName}${detail}; ${
          permanent
            ? "check that the topic exists, that the function may sns:Publish to it and use its KMS key"
            : "the invocation is retried"
        }`,
        data: { topicArn: this.#topicArn, errorName, detailType: notification.detailType },
        retryable: !permanent,
        cause: error,
      });
    }
  }
}
