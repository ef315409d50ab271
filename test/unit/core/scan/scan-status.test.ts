import { describe, expect, it } from "vitest";
import { scanPolicy } from "../../../../functions/core/config/scan-policy.js";
import {
  classifyScanStatus,
  decideScanFailure,
  decideScanTimeout,
} from "../../../../functions/core/scan/scan-status.js";

describe("classifyScanStatus", () => {
  it.each([
    ["COMPLETE", "complete"],
    ["INITIAL_SCAN_COMPLETE", "complete"],
    ["FAILED", "failed"],
    ["FINDINGS_UNAVAILABLE", "failed"],
    ["UNSUPPORTED_IMAGE", "unsupported"],
    ["IN_PROGRESS", "pending"],
    ["SOMETHING_NEW", "failed"],
  ])("classifies %s as %s", (status, expected) => {
    // Act
    const kind = classifyScanStatus(status);

    // Assert
    expect(kind).toBe(expected);
  });
});

describe("decideScanFailure", () => {
  it.each([
    ["FAILED", /the scan did not produce findings \(scan status FAILED\)/],
    ["UNSUPPORTED_IMAGE", /the scanner cannot cover this image \(scan status UNSUPPORTED_IMAGE\)/],
  ])("rejects a %s scan with the reason while the policy fails closed", (status, reason) => {
    // Act
    const decision = decideScanFailure({ policy: scanPolicy.parse({}), status });

    // Assert
    expect(decision.verdict).toBe("rejected");
    expect(decision.reason).toMatch(reason);
    expect(decision.reason).toMatch(/fails closed/);
  });

  it("approves a failed scan, saying why, when the policy has failClosed: false", () => {
    // Act
    const decision = decideScanFailure({ policy: scanPolicy.parse({ failClosed: false }), status: "FAILED" });

    // Assert
    expect(decision.verdict).toBe("approved");
    expect(decision.reason).toMatch(/failClosed: false/);
  });
});

describe("decideScanTimeout", () => {
  it("rejects an image without a scan result by default, naming the timeout", () => {
    // Act
    const decision = decideScanTimeout({ policy: scanPolicy.parse({ timeout: "45m" }) });

    // Assert
    expect(decision.verdict).toBe("rejected");
    expect(decision.reason).toBe(
      "no scan result within 45m of the push; rejected because the scan policy fails closed on a timeout (onTimeout: reject)",
    );
  });

  it("approves an image without a scan result when the policy's onTimeout is approve", () => {
    // Act
    const decision = decideScanTimeout({
      policy: scanPolicy.parse({ timeout: "1h30m", onTimeout: "approve" }),
    });

    // Assert
    expect(decision.verdict).toBe("approved");
    expect(decision.reason).toMatch(/^no scan result within 1h30m of the push; approved unscanned/);
  });
});
