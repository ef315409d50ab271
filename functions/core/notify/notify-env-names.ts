/**
 * Names of the environment variables of the `notify` function, beyond those of every step
 * (`EnvName`). `infra/` sets them and the handler's environment reader reads them.
 *
 * @example
 * ```ts
 * fn.addEnvironment(NotifyEnvName.TopicArn, topic.topicArn);
 * ```
 */
export const NotifyEnvName = {
  /** The SNS topic notifications are published to. */
  TopicArn: "NOTIFY_TOPIC_ARN",
  /** The Secrets Manager secret (ARN) holding the Slack incoming-webhook URL. */
  SlackWebhookSecretArn: "SLACK_WEBHOOK_SECRET_ARN",
  /** Argo CD's web UI (https), to link applications. */
  ArgoCdUrl: "ARGOCD_URL",
  /** The config repository's URL, to link config commits. */
  ConfigRepoUrl: "CONFIG_REPO_URL",
  /** The page that shows journeys, to link a notification's journey. */
  TimelineUrl: "TIMELINE_URL",
  /** Locally: the URL notifications are posted to (a Slack incoming webhook, or any receiver). */
  LocalNotifyUrl: "SHIPLINE_NOTIFY_URL",
} as const;
