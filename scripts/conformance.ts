// `npm run conformance`: runs Shipline's own code over real samples kept beside the checkout, never
// in it: ../shared/fixtures and ../shared/conformance/samples (webhook deliveries, AWS events, API
// flows, signature vectors, Argo CD), then the peers' golden manifest cases
// (../shared/conformance/peer-manifests/run.mjs). It prints one line per sample (OK, KNOWN GAP with
// its issue area, or MISMATCH) and a summary. Exit code 1 on a mismatch, a sample no check reads or
// a peer case failing outside the known gaps. Without ../shared it says so and exits 0 (1 under CI=true).
import { existsSync } from "node:fs";
import path from "node:path";
import { checkAwsEventSamples } from "./conformance/aws-samples.js";
import { formatOutcome, mismatch, type Outcome } from "./conformance/outcome.js";
import { runPeerManifests } from "./conformance/peer-manifests.js";
import { SampleStore } from "./conformance/sample-store.js";
import { checkServiceSamples } from "./conformance/service-samples.js";
import { checkVectorSamples } from "./conformance/vector-samples.js";
import { checkWebhookSamples } from "./conformance/webhook-samples.js";

const root = path.resolve(import.meta.dirname, "..");
const shared = path.resolve(root, "../shared");
const ci = /^(true|1)$/i.test(process.env.CI ?? "");

if (!existsSync(path.join(shared, "conformance")) || !existsSync(path.join(shared, "fixtures"))) {
  console.log(
    `conformance: no real samples to check: ${shared} (with fixtures/ and conformance/) does not exist. ` +
      "They are kept outside the repository; put them beside the checkout to run this." +
      (ci ? " CI=true needs them, so this run fails." : ""),
  );
  process.exit(ci ? 1 : 0);
}

const samples = new SampleStore({ root: shared, directories: ["fixtures", "conformance/samples"] });
const outcomes: Outcome[] = [
  ...(await checkWebhookSamples(samples)),
  ...(await checkAwsEventSamples(samples)),
  ...(await checkVectorSamples(samples)),
  ...(await checkServiceSamples(samples)),
  ...samples.unread().map((name) => mismatch(name, "no conformance check reads this sample; add one")),
];
for (const outcome of outcomes) console.log(formatOutcome(outcome));

const peers = runPeerManifests({ root, shared });
for (const outcome of peers.outcomes) console.log(formatOutcome(outcome));
for (const name of peers.closedGaps) {
  console.log(`CLOSED GAP peer case ${name} passes now; remove it from scripts/conformance/known-gaps.ts`);
}

const count = (list: readonly Outcome[], status: Outcome["status"]) =>
  list.filter((outcome) => outcome.status === status).length;
const failures = count(outcomes, "mismatch") + count(peers.outcomes, "mismatch");
console.log("");
console.log(
  `conformance: ${outcomes.length} sample checks: ${count(outcomes, "ok")} as expected, ` +
    `${count(outcomes, "known-gap")} known gaps, ${count(outcomes, "mismatch")} mismatches; ` +
    `${peers.summary}, ${count(peers.outcomes, "known-gap")} known gaps, ` +
    `${count(peers.outcomes, "mismatch")} failing outside them`,
);
process.exit(failures > 0 ? 1 : 0);
