import { describe, expect, it } from "vitest";
import { type ScanPolicy, scanPolicy } from "../../../../functions/core/config/scan-policy.js";
import { evaluateScanPolicy } from "../../../../functions/core/scan/evaluate-scan-policy.js";
import type { Finding } from "../../../../functions/core/scan/finding.js";

const NOW = new Date("2026-03-15T12:00:00Z");

function policyOf(input: Record<string, unknown> = {}): ScanPolicy {
  return scanPolicy.parse(input);
}

const critical: Finding = {
  id: "CVE-2024-3094",
  severity: "CRITICAL",
  package: "xz-utils",
  installedVersion: "5.6.0",
  fixedVersion: "5.6.1",
};
const highNoFix: Finding = {
  id: "CVE-2023-1111",
  severity: "HIGH",
  package: "libfoo",
  installedVersion: "1.0",
};
const medium: Finding = { id: "CVE-2023-2222", severity: "MEDIUM", package: "bar", fixedVersion: "2.0" };
const low: Finding = { id: "CVE-2023-3333", severity: "LOW", package: "baz" };
const unrated: Finding = { id: "CVE-2023-4444", severity: "UNDEFINED", package: "qux" };

interface Case {
  readonly title: string;
  readonly policy: Record<string, unknown>;
  readonly app?: string;
  readonly findings: readonly Finding[];
  readonly now?: Date;
  readonly verdict: "approved" | "rejected";
  readonly blocking: readonly string[];
  readonly allowed?: readonly string[];
  readonly expired?: readonly string[];
  readonly reason: RegExp;
}

const CASES: readonly Case[] = [
  {
    title: "approves an image without findings",
    policy: {},
    findings: [],
    verdict: "approved",
    blocking: [],
    reason: /^no finding at or above HIGH$/,
  },
  {
    title: "blocks a CRITICAL finding at the default HIGH threshold",
    policy: {},
    findings: [critical, medium],
    verdict: "rejected",
    blocking: ["CVE-2024-3094"],
    reason: /^1 finding at or above HIGH block the image: CVE-2024-3094 \(CRITICAL\)$/,
  },
  {
    title: "lets a MEDIUM finding through at the HIGH threshold",
    policy: { severityThreshold: "HIGH" },
    findings: [medium, low],
    verdict: "approved",
    blocking: [],
    reason: /no finding at or above HIGH/,
  },
  {
    title: "blocks a MEDIUM finding at the MEDIUM threshold, the worst finding first",
    policy: { severityThreshold: "MEDIUM" },
    findings: [medium, low, critical],
    verdict: "rejected",
    blocking: ["CVE-2024-3094", "CVE-2023-2222"],
    reason: /^2 findings at or above MEDIUM block the image/,
  },
  {
    title: "blocks only CRITICAL findings at the CRITICAL threshold",
    policy: { severityThreshold: "CRITICAL" },
    findings: [highNoFix, medium],
    verdict: "approved",
    blocking: [],
    reason: /no finding at or above CRITICAL/,
  },
  {
    title: "blocks even LOW findings at the LOW threshold, but never an unrated one",
    policy: { severityThreshold: "LOW" },
    findings: [low, unrated],
    verdict: "rejected",
    blocking: ["CVE-2023-3333"],
    reason: /^1 finding at or above LOW/,
  },
  {
    title: "accepts a finding named by a live allow-list entry",
    policy: { allowList: [{ id: "CVE-2024-3094", reason: "not reachable", expires: "2026-03-15" }] },
    findings: [critical],
    verdict: "approved",
    blocking: [],
    allowed: ["CVE-2024-3094"],
    reason: /accepted by the allow-list \(CVE-2024-3094\)/,
  },
  {
    title: "stops applying an allow-list entry the day after it expires, and says so",
    policy: { allowList: [{ id: "CVE-2024-3094", reason: "not reachable", expires: "2026-03-14" }] },
    findings: [critical],
    verdict: "rejected",
    blocking: ["CVE-2024-3094"],
    expired: ["CVE-2024-3094"],
    reason: /allow-list entries no longer apply: CVE-2024-3094 expired on 2026-03-14/,
  },
  {
    title: "still applies an entry on the last second of its expiry day (UTC)",
    policy: { allowList: [{ id: "CVE-2024-3094", reason: "not reachable", expires: "2026-03-15" }] },
    findings: [critical],
    now: new Date("2026-03-15T23:59:59.999Z"),
    verdict: "approved",
    blocking: [],
    allowed: ["CVE-2024-3094"],
    reason: /accepted by the allow-list/,
  },
  {
    title: "ignores an allow-list entry limited to other apps",
    policy: {
      allowList: [
        { id: "CVE-2024-3094", reason: "other app only", expires: "2027-01-01", apps: ["billing"] },
      ],
    },
    app: "demo",
    findings: [critical],
    verdict: "rejected",
    blocking: ["CVE-2024-3094"],
    reason: /^1 finding at or above HIGH/,
  },
  {
    title: "applies an allow-list entry limited to the image's app",
    policy: {
      allowList: [{ id: "CVE-2024-3094", reason: "demo only", expires: "2027-01-01", apps: ["demo"] }],
    },
    app: "demo",
    findings: [critical],
    verdict: "approved",
    blocking: [],
    allowed: ["CVE-2024-3094"],
    reason: /accepted by the allow-list/,
  },
  {
    title: "prefers a live entry over an expired one for the same id",
    policy: {
      allowList: [
        { id: "CVE-2024-3094", reason: "old", expires: "2025-01-01" },
        { id: "CVE-2024-3094", reason: "renewed", expires: "2026-12-31" },
      ],
    },
    findings: [critical],
    verdict: "approved",
    blocking: [],
    allowed: ["CVE-2024-3094"],
    reason: /accepted by the allow-list/,
  },
  {
    title: "counts only fixable findings when onlyFixable is set",
    policy: { onlyFixable: true },
    findings: [highNoFix],
    verdict: "approved",
    blocking: [],
    reason: /^no fixable finding at or above HIGH \(1 finding without a fix not counted\)$/,
  },
  {
    title: "still blocks a fixable finding when onlyFixable is set",
    policy: { onlyFixable: true },
    findings: [highNoFix, critical],
    verdict: "rejected",
    blocking: ["CVE-2024-3094"],
    reason:
      /^1 fixable finding at or above HIGH block the image: CVE-2024-3094 \(CRITICAL\) \(1 finding without a fix not counted\)$/,
  },
  {
    title: "takes a scanner's word that a fix exists even without a version",
    policy: { onlyFixable: true },
    findings: [{ ...highNoFix, fixAvailable: true }],
    verdict: "rejected",
    blocking: ["CVE-2023-1111"],
    reason: /^1 fixable finding/,
  },
];

describe("evaluateScanPolicy", () => {
  it.each(CASES)("$title", (testCase) => {
    // Arrange
    const policy = policyOf(testCase.policy);

    // Act
    const decision = evaluateScanPolicy({
      policy,
      app: testCase.app ?? "demo",
      findings: testCase.findings,
      now: testCase.now ?? NOW,
    });

    // Assert
    expect(decision.verdict).toBe(testCase.verdict);
    expect(decision.blocking.map((finding) => finding.id)).toEqual(testCase.blocking);
    expect(decision.allowed.map((finding) => finding.id)).toEqual(testCase.allowed ?? []);
    expect(decision.expiredAllowances.map((entry) => entry.id)).toEqual(testCase.expired ?? []);
    expect(decision.reason).toMatch(testCase.reason);
  });

  it("reports each blocking finding with its package, installed and fixed version", () => {
    // Act
    const decision = evaluateScanPolicy({ policy: policyOf(), app: "demo", findings: [critical], now: NOW });

    // Assert
    expect(decision.blocking).toEqual([
      {
        id: "CVE-2024-3094",
        severity: "CRITICAL",
        package: "xz-utils",
        installedVersion: "5.6.0",
        fixedVersion: "5.6.1",
      },
    ]);
  });

  it("notes on a blocking finding which allow-list entry expired and what it said", () => {
    // Arrange
    const policy = policyOf({
      allowList: [{ id: "CVE-2024-3094", reason: "parser unused", expires: "2026-01-31" }],
    });

    // Act
    const decision = evaluateScanPolicy({ policy, app: "demo", findings: [critical], now: NOW });

    // Assert
    expect(decision.blocking[0]?.note).toBe(
      "the allow-list entry for CVE-2024-3094 expired on 2026-01-31 (it said: parser unused)",
    );
    expect(decision.expiredAllowances).toEqual([
      { id: "CVE-2024-3094", reason: "parser unused", expires: "2026-01-31" },
    ]);
  });

  it("records an accepted finding with the entry's reason and expiry", () => {
    // Arrange
    const policy = policyOf({
      allowList: [{ id: "CVE-2024-3094", reason: "parser unused", expires: "2026-06-30" }],
    });

    // Act
    const decision = evaluateScanPolicy({ policy, app: "demo", findings: [critical], now: NOW });

    // Assert
    expect(decision.allowed).toEqual([
      { id: "CVE-2024-3094", severity: "CRITICAL", reason: "parser unused", expires: "2026-06-30" },
    ]);
  });

  it("counts every finding per severity, blocking or not", () => {
    // Act
    const decision = evaluateScanPolicy({
      policy: policyOf(),
      app: "demo",
      findings: [critical, highNoFix, medium, medium, low, unrated],
      now: NOW,
    });

    // Assert
    expect(decision.counts).toEqual({
      CRITICAL: 1,
      HIGH: 1,
      MEDIUM: 2,
      LOW: 1,
      INFORMATIONAL: 0,
      UNDEFINED: 1,
    });
  });

  it("names at most five blocking ids in the reason and counts the rest", () => {
    // Arrange
    const findings = Array.from(
      { length: 7 },
      (_, index): Finding => ({ id: `CVE-2024-000${index}`, severity: "HIGH" }),
    );

    // Act
    const decision = evaluateScanPolicy({ policy: policyOf(), app: "demo", findings, now: NOW });

    // Assert
    expect(decision.blocking).toHaveLength(7);
    expect(decision.reason).toMatch(/^7 findings at or above HIGH block the image: .* and 2 more$/);
  });
});
