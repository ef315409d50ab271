import type { Notification } from "./notification.js";

/** An SNS message attribute of type String. */
export interface SnsStringAttribute {
  readonly DataType: "String";
  readonly StringValue: string;
}

/** What SNS's Publish is given for a notification. */
export interface SnsMessage {
  /** The e-mail subject: printable ASCII, one line, at most {@link SNS_SUBJECT_LIMIT} characters. */
  readonly subject: string;
  /** The plain-text body. */
  readonly message: string;
  /** `app` and `environment` (when the event has them), `detailType` and `severity`, for subscription filter policies. */
  readonly attributes: Readonly<Record<string, SnsStringAttribute>>;
}

/** SNS refuses a subject of 100 characters or more. */
export const SNS_SUBJECT_LIMIT = 99;

/**
 * Renders a notification for an SNS topic: a subject SNS accepts (printable ASCII on one line, `→`
 * written `->`, cut to 99 characters), a plain-text message (title, text, one line per field, one
 * per link), and message attributes that subscriptions filter on (`app`, `environment`,
 * `detailType`, `severity`).
 *
 * @example
 * ```ts
 * const { subject, message, attributes } = snsMessageOf(notification);
 * await sns.send(new PublishCommand({ TopicArn, Subject: subject, Message: message, MessageAttributes: attributes }));
 * ```
 */
export function snsMessageOf(notification: Notification): SnsMessage {
  const lines = [notification.title, "", notification.text, ""];
  for (const field of notification.fields) {
    const [first = "", ...rest] = field.value.split("\n");
    lines.push(`${field.label}: ${first}`, ...rest.map((line) => `  ${line}`));
  }
  if (notification.links.length > 0) {
    lines.push("");
    for (const link of notification.links) lines.push(`${link.label}: ${link.url}`);
  }
  const attributes: Record<string, SnsStringAttribute> = {
    detailType: text(notification.detailType),
    severity: text(notification.severity),
  };
  if (notification.app !== undefined) attributes.app = text(notification.app);
  if (notification.environment !== undefined) attributes.environment = text(notification.environment);
  return {
    subject: subjectOf(`Shipline: ${notification.title}`),
    message: `${lines.join("\n")}\n`,
    attributes,
  };
}

function text(value: string): SnsStringAttribute {
  return { DataType: "String", StringValue: value };
}

/** Printable ASCII on one line, at most {@link SNS_SUBJECT_LIMIT} characters. */
function subjectOf(title: string): string {
  const ascii = title
    .replaceAll("→", "->")
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\s+/g, " ")
    .replace(/[^\x20-\x7e]/g, "?")
    .trim();
  return ascii.length <= SNS_SUBJECT_LIMIT ? ascii : `${ascii.slice(0, SNS_SUBJECT_LIMIT - 3).trimEnd()}...`;
}
