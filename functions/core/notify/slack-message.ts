import type { Notification, NotificationSeverity } from "./notification.js";

/** A Slack text object. */
export interface SlackText {
  readonly type: "plain_text" | "mrkdwn";
  readonly text: string;
  readonly emoji?: boolean;
}

/** A Block Kit block, as far as Shipline's messages use them. */
export type SlackBlock =
  | { readonly type: "header"; readonly text: SlackText }
  | { readonly type: "section"; readonly text?: SlackText; readonly fields?: readonly SlackText[] }
  | { readonly type: "context"; readonly elements: readonly SlackText[] }
  | {
      readonly type: "actions";
      readonly elements: readonly {
        readonly type: "button";
        readonly text: SlackText;
        readonly url: string;
        readonly action_id: string;
        readonly style?: "primary" | "danger";
      }[];
    };

/** The JSON body of a Slack incoming-webhook message. */
export interface SlackMessage {
  /** The fallback text: notifications, and clients that cannot show blocks. */
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

/** Block Kit's limits, in characters (items for the counts). */
export const SLACK_LIMITS = {
  header: 150,
  sectionText: 3000,
  field: 2000,
  fields: 10,
  buttonText: 75,
  buttons: 25,
  url: 3000,
} as const;

const EMOJI: Readonly<Record<NotificationSeverity, string>> = {
  success: ":white_check_mark:",
  failure: ":x:",
  warning: ":rewind:",
  review: ":eyes:",
};

/**
 * Escapes text for Slack's `mrkdwn`: `&`, `<` and `>` become `&amp;`, `&lt;` and `&gt;`, so text
 * from a commit message or a reason can neither break the markup nor form a link or a mention.
 *
 * @example
 * ```ts
 * escapeMrkdwn("a <b> & c"); // "a &lt;b&gt; &amp; c"
 * ```
 */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * Renders a notification as a Slack incoming-webhook message: fallback `text`, then Block Kit
 * blocks: a header (the title), a section (what changed and why), a section of fields, a context
 * line (detail type, app, environment and commit, as far as the event has them) and link buttons, a primary link styled as the main one. Text is
 * escaped for `mrkdwn` and cut to Block Kit's limits; links that are not http(s) are left out.
 *
 * @example
 * ```ts
 * await fetch(webhookUrl, { method: "POST", body: JSON.stringify(slackMessageOf(notification)) });
 * ```
 */
export function slackMessageOf(notification: Notification): SlackMessage {
  const emoji = EMOJI[notification.severity];
  const blocks: SlackBlock[] = [
    {
      type: "header",
      text: { type: "plain_text", text: cut(notification.title, SLACK_LIMITS.header), emoji: true },
    },
    { type: "section", text: mrkdwn(notification.text, SLACK_LIMITS.sectionText) },
  ];
  const fields = notification.fields.slice(0, SLACK_LIMITS.fields).map((field) => ({
    type: "mrkdwn" as const,
    text: cut(`*${escapeMrkdwn(field.label)}*\n${escapeMrkdwn(field.value)}`, SLACK_LIMITS.field),
  }));
  if (fields.length > 0) blocks.push({ type: "section", fields });
  const place = [
    notification.app,
    notification.environment,
    notification.commit === undefined ? undefined : `\`${notification.commit.slice(0, 7)}\``,
  ].filter((part) => part !== undefined);
  blocks.push({
    type: "context",
    elements: [
      mrkdwn([`${emoji} ${notification.detailType}`, ...place].join(" · "), SLACK_LIMITS.sectionText),
    ],
  });
  const buttons = notification.links
    .filter((link) => isWebUrl(link.url) && link.url.length <= SLACK_LIMITS.url)
    .slice(0, SLACK_LIMITS.buttons)
    .map((link, index) => ({
      type: "button" as const,
      text: { type: "plain_text" as const, text: cut(link.label, SLACK_LIMITS.buttonText) },
      url: link.url,
      action_id: `shipline-link-${index}`,
      ...(link.primary === true ? { style: "primary" as const } : {}),
    }));
  if (buttons.length > 0) blocks.push({ type: "actions", elements: buttons });
  return { text: `${emoji} ${escapeMrkdwn(notification.title)}`, blocks };
}

function mrkdwn(text: string, limit: number): SlackText {
  return { type: "mrkdwn", text: cut(escapeMrkdwn(text), limit) };
}

/** Cuts text to `limit` characters, ending with an ellipsis, never inside an escape such as `&amp;`. */
function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const head = text.slice(0, limit - 1).replace(/&[a-z]{0,3}$/, "");
  return `${head}…`;
}

function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
