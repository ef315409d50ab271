import { SlackWebhookNotifier } from "../adapters/http/slack-webhook-notifier.js";
import type { LocalEventBus } from "../adapters/local/local-event-bus.js";
import { NotifyEnvName } from "../core/notify/notify-env-names.js";
import type { Clock } from "../core/ports/clock.js";
import type { EventPublisher } from "../core/ports/event-publisher.js";
import { rulesForStep } from "../core/topology/rule-topology.js";
import { localLambdaContext } from "../local/runtime/local-lambda-context.js";
import { createLocalStepDeps } from "../local/runtime/local-step-deps.js";
import { ArchiveJourneyLookup } from "../local/timeline/archive-journey-lookup.js";
import { makeNotifyHandler } from "./notify.js";

/** Options of {@link connectLocalNotify}. */
export interface ConnectLocalNotifyOptions {
  /** The local bus: the topology's notify rule is added to it. */
  readonly bus: LocalEventBus;
  /** Publishes `Step Failed` when a notification is refused for good. */
  readonly publisher: EventPublisher;
  /** Where notifications are posted (a Slack incoming webhook or any receiver). @default - `SHIPLINE_NOTIFY_URL` */
  readonly url?: string;
  /** Read for `SHIPLINE_NOTIFY_URL` when `url` is not given. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The timeline page, for the notifications' journey links. */
  readonly timelineUrl?: string;
  /** The config repository's URL, to link config commits. */
  readonly configRepoUrl?: string;
  readonly clock?: Clock;
}

/**
 * Runs the `notify` step on the local bus: the same handler and rule (`notify-on-terminal-event`,
 * which also carries `Pull Request Opened` to tell reviewers) as on AWS, posting Slack incoming-webhook JSON to the configured URL (`url`, else
 * `SHIPLINE_NOTIFY_URL`) and enriching it from the bus archive. Without a URL nothing is connected
 * and `false` is returned. The URL is never logged.
 *
 * @example
 * ```ts
 * connectLocalNotify({ bus: platform.bus, publisher: platform.publisher, timelineUrl: timeline.url });
 * ```
 */
export function connectLocalNotify(options: ConnectLocalNotifyOptions): boolean {
  const url = options.url ?? (options.env ?? process.env)[NotifyEnvName.LocalNotifyUrl]?.trim();
  if (url === undefined || url === "") return false;
  const { bus } = options;
  const handler = makeNotifyHandler({
    ...createLocalStepDeps({
      step: "notify",
      publisher: options.publisher,
      ...(options.clock === undefined ? {} : { clock: options.clock }),
    }),
    notifiers: [new SlackWebhookNotifier({ webhookUrl: async () => url, channel: "notify-url" })],
    lookup: new ArchiveJourneyLookup({
      events: async () => (await bus.archive.read()).map((record) => record.event),
    }),
    links: {
      ...(options.timelineUrl === undefined ? {} : { timelineUrl: options.timelineUrl }),
      ...(options.configRepoUrl === undefined ? {} : { configRepoUrl: options.configRepoUrl }),
    },
  });
  for (const rule of rulesForStep("notify")) {
    bus.addRule(
      rule,
      async (event) => {
        await handler(event, localLambdaContext("notify"));
      },
      "step:notify",
    );
  }
  return true;
}
