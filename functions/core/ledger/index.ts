export { awsLedgerEntryOf } from "./aws-ledger-entry-of.js";
export {
  type BuildJourneyOptions,
  buildJourney,
  type HopMark,
  type Journey,
  type JourneyEnvironment,
  type JourneyStatus,
  type JourneyStep,
  orderHops,
} from "./build-journey.js";
export { chartSummary } from "./chart-summary.js";
export {
  type ComputeDoraOptions,
  computeDora,
  type DoraDeployment,
  type DoraFailure,
  type DoraMetrics,
  type DoraRestore,
  type DoraWindow,
  type DurationSummary,
  doraInputsOf,
  percentile,
} from "./compute-dora.js";
export { type DeploymentRecord, deploymentRecord } from "./deployment-record.js";
export {
  applyEnvironmentHop,
  chainRank,
  type EnvironmentState,
  environmentState,
} from "./environment-state.js";
export { journeyStart } from "./journey-start.js";
export { type LedgerEntry, type LedgerSubject, repositoryNameOf } from "./ledger-entry.js";
export { ledgerEntryOf, PUBLISHING_STEP } from "./ledger-entry-of.js";
export { type JourneyHop, type LedgerHop, ledgerHop } from "./ledger-hop.js";
export {
  APPS_PARTITION,
  appPartition,
  deploymentsPartition,
  journeyPartition,
  LEDGER_TABLE,
  ledgerKeys,
  pushPartition,
} from "./ledger-keys.js";
export { type CommitIndexEntry, commitIndexEntry, LedgerReader } from "./ledger-reader.js";
export { productionEnvironments } from "./production-environments.js";
export { type LedgerMetric, type RecordHopOptions, type RecordOutcome, recordHop } from "./record-hop.js";
export { secondsBetween } from "./seconds-between.js";
