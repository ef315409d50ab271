import { ShiplineError } from "../core/errors/shipline-error.js";
import { NotifyEnvName } from "../core/notify/notify-env-names.js";
import { readEnvironment, type StepEnvironment } from "./shared/environment.js";

/** The notify function's environment, parsed. */
export interface NotifyEnvironment {
  /** Every step's settings (the ledger table, when set, enriches notifications). */
  readonly step: StepEnvironment;
  /** The SNS topic ({@link NotifyEnvName.TopicArn}). */
  readonly topicArn?: string;
  /** The secret holding the Slack incoming-webhook URL ({@link NotifyEnvName.SlackWebhookSecretArn}). */
  readonly slackWebhookSecretArn?: string;
  /** Argo CD's web UI ({@link NotifyEnvName.ArgoCdUrl}). */
  readonly argoCdUrl?: string;
  /** The config repository ({@link NotifyEnvName.ConfigRepoUrl}). */
  readonly configRepoUrl?: string;
  /** The journey page ({@link NotifyEnvName.TimelineUrl}). */
  readonly timelineUrl?: string;
}

/**
 * Reads the notify function's environment once, at cold start: every step's settings, the channels
 * (an SNS topic, a Slack webhook secret, or both: at least one) and the link bases. Throws one
 * permanent `CONFIG_INVALID` naming every problem; values are never echoed.
 *
 * @example
 * ```ts
 * const { step, topicArn, slackWebhookSecretArn } = readNotifyEnvironment();
 * ```
 */
export function readNotifyEnvironment(
  options: { readonly env?: Readonly<Record<string, string | undefined>> } = {},
): NotifyEnvironment {
  const env = options.env ?? process.env;
  const value = (name: string) => {
    const text = env[name]?.trim();
    return text === undefined || text === "" ? undefined : text;
  };
  const problems: string[] = [];
  let step: StepEnvironment | undefined;
  try {
    step = readEnvironment({ env });
  } catch (error) {
    if (!(error instanceof ShiplineError)) throw error;
    problems.push(
      ...(Array.isArray(error.data.problems) ? error.data.problems.map(String) : [error.message]),
    );
  }
  const topicArn = value(NotifyEnvName.TopicArn);
  const slackWebhookSecretArn = value(NotifyEnvName.SlackWebhookSecretArn);
  if (topicArn === undefined && slackWebhookSecretArn === undefined) {
    problems.push(
      `${NotifyEnvName.TopicArn} / ${NotifyEnvName.SlackWebhookSecretArn}: neither is set; set at least one channel (the SNS topic, or the secret holding the Slack webhook URL)`,
    );
  }
  for (const name of [NotifyEnvName.ArgoCdUrl, NotifyEnvName.ConfigRepoUrl, NotifyEnvName.TimelineUrl]) {
    const url = value(name);
    if (url !== undefined && !URL.canParse(url)) problems.push(`${name}: is not a URL; give an https:// URL`);
  }
  if (step === undefined || problems.length > 0) {
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `The notify function's environment is not usable: ${problems.join("; ")}. Set these variables on the function (infra/ names them with EnvName and NotifyEnvName).`,
      data: { problems },
      retryable: false,
    });
  }
  const optional = (key: keyof NotifyEnvironment, name: string) => {
    const text = value(name);
    return text === undefined ? {} : { [key]: text };
  };
  return {
    step,
    ...optional("topicArn", NotifyEnvName.TopicArn),
    ...optional("slackWebhookSecretArn", NotifyEnvName.SlackWebhookSecretArn),
    ...optional("argoCdUrl", NotifyEnvName.ArgoCdUrl),
    ...optional("configRepoUrl", NotifyEnvName.ConfigRepoUrl),
    ...optional("timelineUrl", NotifyEnvName.TimelineUrl),
  };
}
