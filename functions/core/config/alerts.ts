import * as z from "zod";
import { show } from "./fields.js";
import { say } from "./say.js";

/** `arn:<partition>:sns:<region>:<account>:<topic>`; groups: partition, region, account, topic. */
const SNS_TOPIC_ARN =
  /^arn:(aws[a-z-]*):sns:([a-z]{2}(?:-[a-z]+)+-\d+):(\d{12}):([A-Za-z0-9_-]{1,256}(?:\.fifo)?)$/;

const TOPIC_EXAMPLE = "arn:aws:sns:eu-west-1:123456789012:platform-alerts";

/** The partitions whose regions start with a prefix other than the commercial one's. */
const REGION_PARTITIONS: readonly (readonly [string, string])[] = [
  ["cn-", "aws-cn"],
  ["us-gov-", "aws-us-gov"],
  ["us-isob-", "aws-iso-b"],
  ["us-isof-", "aws-iso-f"],
  ["us-iso-", "aws-iso"],
  ["eu-isoe-", "aws-iso-e"],
  ["eusc-", "aws-eusc"],
];

/** The parts of an SNS topic ARN that {@link alerts} accepted. */
export interface SnsTopicArnParts {
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  readonly name: string;
}

/**
 * The partition a region belongs to (`cn-north-1` → `aws-cn`, `eu-west-1` → `aws`).
 *
 * @example
 * ```ts
 * partitionOfRegion("us-gov-west-1"); // "aws-us-gov"
 * ```
 */
export function partitionOfRegion(region: string): string {
  return REGION_PARTITIONS.find(([prefix]) => region.startsWith(prefix))?.[1] ?? "aws";
}

/**
 * The parts of an SNS topic ARN, or `undefined` for text that is not one.
 *
 * @example
 * ```ts
 * snsTopicArnParts("arn:aws:sns:eu-west-1:123456789012:alerts")?.region; // "eu-west-1"
 * ```
 */
export function snsTopicArnParts(arn: string): SnsTopicArnParts | undefined {
  const match = SNS_TOPIC_ARN.exec(arn);
  if (match === null) return undefined;
  const [, partition = "", region = "", account = "", name = ""] = match;
  return { partition, region, account, name };
}

const topicArn = z
  .string({
    error: (issue) =>
      say(
        issue.input === undefined ? "is missing" : `${show(issue.input)} is not text`,
        `write the SNS topic's ARN, e.g. topicArn: ${TOPIC_EXAMPLE}`,
      ),
  })
  .superRefine((value, ctx) => {
    const parts = snsTopicArnParts(value);
    if (parts === undefined) {
      ctx.addIssue({
        code: "custom",
        message: say(
          `'${value}' is not an SNS topic ARN`,
          `write arn:<partition>:sns:<region>:<12-digit account>:<topic name>, e.g. ${TOPIC_EXAMPLE} (aws sns list-topics)`,
        ),
      });
      return;
    }
    const expected = partitionOfRegion(parts.region);
    if (parts.partition !== expected) {
      ctx.addIssue({
        code: "custom",
        message: say(
          `'${value}' names partition ${parts.partition}, but region ${parts.region} is in ${expected}`,
          `write arn:${expected}:sns:${parts.region}:${parts.account}:${parts.name}, or the ARN the topic's console shows`,
        ),
      });
    }
    if (parts.name.endsWith(".fifo")) {
      ctx.addIssue({
        code: "custom",
        message: say(
          `'${value}' is a FIFO topic, which CloudWatch alarms cannot notify`,
          "name a standard topic, or leave topicArn out for one Shipline creates",
        ),
      });
    }
  });

const email = z.email({
  error: (issue) =>
    say(
      `${show(issue.input)} is not an e-mail address`,
      "write one address per item, e.g. emails: [platform-oncall@example.com]",
    ),
});

/**
 * Where Shipline's CloudWatch alarms (dead letters, function errors, rejected images) send their
 * alarm and OK notifications: an SNS topic of yours (`topicArn`, in the region and partition the
 * stack is deployed to), or one the stack creates, encrypted with a key of its own; `emails` are
 * subscribed to it (each address confirms by mail). Absent, the stack creates the topic and
 * subscribes no one.
 *
 * @example
 * ```ts
 * alerts.parse({ topicArn: "arn:aws:sns:eu-west-1:123456789012:platform-alerts", emails: ["oncall@example.com"] });
 * ```
 */
export const alerts = z.strictObject(
  {
    /** An existing SNS topic to notify instead of one the stack creates. */
    topicArn: topicArn.optional(),
    /** Addresses to subscribe to the alarm topic. */
    emails: z
      .array(email, {
        error: (issue) =>
          say(
            `${show(issue.input)} is not a list`,
            "write a list of addresses, e.g. emails: [platform-oncall@example.com]",
          ),
      })
      .refine((list) => new Set(list.map((address) => address.toLowerCase())).size === list.length, {
        error: say("names an address twice", "keep one item per address"),
      })
      .default([]),
  },
  {
    error: (issue) =>
      issue.code === "invalid_type"
        ? say(
            `${show(issue.input)} is not a mapping`,
            `write alerts: { topicArn: ${TOPIC_EXAMPLE} } or alerts: { emails: [platform-oncall@example.com] }`,
          )
        : undefined,
  },
);

/** The alerts section (output of {@link alerts}). */
export type AlertsConfig = z.output<typeof alerts>;
