export { alarmNotification } from "./alarm-notification.js";
export { type CommitInfoOfOptions, commitInfoOf, type PushedCommitFacts } from "./commit-info-of.js";
export { commitUrlOf } from "./commit-url.js";
export { type DeliverNotificationOptions, deliverNotification } from "./deliver-notification.js";
export { formatDuration } from "./format-duration.js";
export type {
  CommitAuthor,
  CommitInfo,
  JourneyLookup,
  JourneyQuery,
  ProposalRecord,
} from "./journey-lookup.js";
export { LedgerJourneyLookup, type LedgerJourneyLookupOptions } from "./ledger-journey-lookup.js";
export {
  ALARM_STATE_CHANGE,
  type Notification,
  type NotificationField,
  type NotificationLink,
  type NotificationSeverity,
  type Notifier,
} from "./notification.js";
export { type NotificationContext, type NotificationOfOptions, notificationOf } from "./notification-of.js";
export {
  type AlarmNotified,
  type NotifyAlarmStateChangeOptions,
  notifyAlarmStateChange,
} from "./notify-alarm-state-change.js";
export { NotifyEnvName } from "./notify-env-names.js";
export {
  type NotifyResult,
  type NotifyTerminalEventOptions,
  notifyTerminalEvent,
} from "./notify-terminal-event.js";
export { pullRequestNotification, REVIEW_LINK_LABEL } from "./pull-request-notification.js";
export { isRepeatedProposal, type RepeatedProposalOptions } from "./repeated-proposal.js";
export {
  escapeMrkdwn,
  SLACK_LIMITS,
  type SlackBlock,
  type SlackMessage,
  type SlackText,
  slackMessageOf,
} from "./slack-message.js";
export { SNS_SUBJECT_LIMIT, type SnsMessage, type SnsStringAttribute, snsMessageOf } from "./sns-message.js";
export {
  isNotifiedDetailType,
  NOTIFIED_DETAIL_TYPES,
  type NotifiedDetailType,
  type TerminalEvent,
} from "./terminal-event.js";
