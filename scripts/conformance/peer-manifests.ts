import { spawnSync } from "node:child_process";
import path from "node:path";
import { PEER_CASE_GAPS } from "./known-gaps.js";
import { knownGap, mismatch, type Outcome, ok } from "./outcome.js";

/** What the peers' golden manifest cases gave. */
export interface PeerManifestReport {
  readonly outcomes: readonly Outcome[];
  /** run.mjs's own last line, `peer manifest cases passing: N/M (unsupported U)`. */
  readonly summary: string;
  /** Known gaps that pass now and can leave the list. */
  readonly closedGaps: readonly string[];
}

const VERDICT = /^(PASS|FAIL|UNSUPPORTED)\s+(\S+)(.*)$/;

/**
 * Runs the peers' golden manifest cases (`node ../shared/conformance/peer-manifests/run.mjs`, from
 * the checkout root, as its README says) and turns each verdict into an outcome: PASS, and
 * UNSUPPORTED (Shipline refused the edit with the code the case names, on purpose) are as
 * expected; a FAIL is a known gap when the case is listed in `known-gaps.ts`, a mismatch otherwise.
 */
export function runPeerManifests(options: {
  readonly root: string;
  readonly shared: string;
}): PeerManifestReport {
  const runner = path.join(options.shared, "conformance/peer-manifests/run.mjs");
  const run = spawnSync(process.execPath, [runner], {
    cwd: options.root,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    timeout: 600_000,
  });
  const lines = `${run.stdout ?? ""}`.split("\n");
  const summary = lines.findLast((line) => line.startsWith("peer manifest cases passing:"));
  if (run.status !== 0 || summary === undefined) {
    const why = `${run.error?.message ?? ""}${run.stderr ?? ""}`.trim().split("\n").slice(0, 5).join(" | ");
    return {
      outcomes: [
        mismatch("conformance/peer-manifests", `run.mjs did not complete (exit ${run.status}): ${why}`),
      ],
      summary: "peer manifest cases: not run",
      closedGaps: [],
    };
  }
  const outcomes: Outcome[] = [];
  const closedGaps: string[] = [];
  for (const line of lines) {
    const match = VERDICT.exec(line);
    if (match === null) continue;
    const [, verdict = "", name = "", rest = ""] = match;
    const sample = `conformance/peer-manifests/cases/${name}`;
    const detail = rest.replace(/^\s*(\[[^\]]*\]\s*)*(—\s*)?/, "").trim();
    const gap = PEER_CASE_GAPS.get(name);
    if (verdict === "FAIL") {
      outcomes.push(gap === undefined ? mismatch(sample, detail) : knownGap(sample, gap, detail));
      continue;
    }
    if (gap !== undefined) closedGaps.push(name);
    outcomes.push(
      ok(
        sample,
        verdict === "PASS" ? "edit matches the peer's expected output" : `refused on purpose: ${detail}`,
      ),
    );
  }
  return { outcomes, summary, closedGaps };
}
