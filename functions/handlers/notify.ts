import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import * as z from "zod";
import {
  type CloudWatchAlarmStateChangeEvent,
  cloudWatchAlarmStateChangeEvent,
} from "../core/contracts/aws/cloudwatch-alarm-state-change.js";
import type { JourneyLookup } from "../core/notify/journey-lookup.js";
import { ALARM_STATE_CHANGE, type Notifier } from "../core/notify/notification.js";
import type { NotificationContext } from "../core/notify/notification-parts.js";
import { notifyAlarmStateChange } from "../core/notify/notify-alarm-state-change.js";
import { type NotifyResult, notifyTerminalEvent } from "../core/notify/notify-terminal-event.js";
import {
  NOTIFIED_DETAIL_TYPES,
  type NotifiedDetailType,
  type TerminalEvent,
} from "../core/notify/terminal-event.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { createStepHandler } from "./shared/create-step-handler.js";
import { awsInput, type ShiplineEvent, type StepInput, shiplineInput } from "./shared/step-input.js";

/** What `notify` needs beyond every step's dependencies. */
export interface NotifyDeps extends StepDeps {
  /** The channels: Slack's incoming webhook, the SNS topic, a local receiver. */
  readonly notifiers: readonly Notifier[];
  /** Where the journey's earlier hops are read. @default - the notification names the commit by sha only */
  readonly lookup?: JourneyLookup;
  /** Where Argo CD, the config repository and the journey page live, for links. */
  readonly links?: Omit<NotificationContext, "commit">;
}

/** What `notify` did with one event. */
export type NotifyOutcome =
  | { readonly outcome: "notified"; readonly delivered: readonly string[]; readonly commitKnown: boolean }
  | { readonly outcome: "skipped"; readonly reason: string };

/** What `notify` is triggered by: a Shipline event of a journey, or one of Shipline's alarms. */
type NotifyEvent =
  | { readonly kind: "journey"; readonly event: ShiplineEvent<NotifiedDetailType> }
  | { readonly kind: "alarm"; readonly event: CloudWatchAlarmStateChangeEvent };

const journeyInput = shiplineInput(...NOTIFIED_DETAIL_TYPES);
const alarmInput = awsInput(cloudWatchAlarmStateChangeEvent, ALARM_STATE_CHANGE);
const fromCloudWatch = z
  .object({ source: z.literal(cloudWatchAlarmStateChangeEvent.shape.source.value) })
  .loose();

/** A journey's event by its Shipline contract, an alarm's by CloudWatch's; the source tells which. */
const notifyInput: StepInput<NotifyEvent> = {
  kind: "shipline",
  accepts: `${journeyInput.accepts} or '${ALARM_STATE_CHANGE}'`,
  parse: (raw) =>
    fromCloudWatch.safeParse(raw).success
      ? { kind: "alarm", event: alarmInput.parse(raw) }
      : { kind: "journey", event: journeyInput.parse(raw) },
};

/**
 * The `notify` step (12), triggered by the `notify-on-terminal-event` rule on `Deployment
 * Verified`, `Deployment Failed`, `Image Rejected`, `Image Refused`, `Rollback Committed` and `Build Failed`, and on
 * `Pull Request Opened` (a change waits for review), `Hold Placed` by a person and `Promotion
 * Waiting` (an image waits for approval or behind a hold): looks up what the journey knows of the change
 * and tells every channel what changed, why, and where to look. The `notify-on-alarm-state-change`
 * rule brings one of Shipline's CloudWatch alarms firing or back to OK, told on the same channels
 * with what to do (`notifyAlarmStateChange`). An event delivered by a replay is
 * skipped (people were told the first time), and so is a pull request update that proposes the
 * image the pull request already proposed. A channel that may accept later makes the invocation
 * fail retryably; one that refused for good is recorded as `Step Failed`.
 *
 * @example
 * ```ts
 * export const handler = makeNotifyHandler({ ...createStepDeps({ step: "notify", environment }), notifiers, lookup, links });
 * ```
 */
export function makeNotifyHandler(
  deps: NotifyDeps,
): MiddyfiedHandler<unknown, NotifyOutcome | undefined, Error, Context> {
  return createStepHandler({
    step: "notify",
    input: notifyInput,
    deps,
    run: async ({ event: input }): Promise<NotifyOutcome> => {
      const { event } = input;
      if (event["replay-name"] !== undefined) {
        deps.logger.info("Replayed event; people were told when it first happened", {
          replayName: event["replay-name"],
        });
        return { outcome: "skipped", reason: `replay ${event["replay-name"]}` };
      }
      if (input.kind === "alarm") {
        const told = await notifyAlarmStateChange({ event: input.event, notifiers: deps.notifiers });
        deps.logger.info("Notified", { title: told.notification.title, delivered: told.delivered });
        // An alarm is about Shipline itself, not a journey: there is no commit to look up.
        return { outcome: "notified", delivered: told.delivered, commitKnown: false };
      }
      const result: NotifyResult = await notifyTerminalEvent({
        event: terminalEventOf(input.event),
        notifiers: deps.notifiers,
        ...(deps.lookup === undefined ? {} : { lookup: deps.lookup }),
        ...(deps.links === undefined ? {} : { links: deps.links }),
      });
      if (result.outcome === "skipped") {
        deps.logger.info("Not notified: no news", { reason: result.reason });
        return result;
      }
      deps.logger.info("Notified", {
        title: result.notification.title,
        delivered: result.delivered,
        commitKnown: result.commitKnown,
      });
      return { outcome: "notified", delivered: result.delivered, commitKnown: result.commitKnown };
    },
  });
}

/** The event as the use case reads it; one case per detail type, so each detail keeps its type. */
function terminalEventOf(event: ShiplineEvent<NotifiedDetailType>): TerminalEvent {
  const { time, id } = event;
  switch (event["detail-type"]) {
    case "Deployment Verified":
      return { detailType: event["detail-type"], detail: event.detail, time, id };
    case "Deployment Failed":
      return { detailType: event["detail-type"], detail: event.detail, time, id };
    case "Image Rejected":
      return { detailType: event["detail-type"], detail: event.detail, time, id };
    case "Image Refused":
      return { detailType: event["detail-type"], detail: event.detail, time, id };
    case "Rollback Committed":
      return { detailType: event["detail-type"], detail: event.detail, time, id };
    case "Build Failed":
      return { detailType: event["detail-type"], detail: event.detail, time, id };
    case "Pull Request Opened":
      return { detailType: event["detail-type"], detail: event.detail, time, id };
    case "Hold Placed":
      return { detailType: event["detail-type"], detail: event.detail, time, id };
    case "Promotion Waiting":
      return { detailType: event["detail-type"], detail: event.detail, time, id };
  }
}
