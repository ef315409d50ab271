import { describe, expect, it } from "vitest";
import * as z from "zod";
import { mapEcrScanFindings } from "../../../../functions/core/scan/ecr-scan-findings.js";
import { mapInspectorFindings } from "../../../../functions/core/scan/inspector-findings.js";
import { normaliseSeverity } from "../../../../functions/core/scan/severity-rank.js";
import { readFixture } from "../../../read-fixture.js";
import { ecrBasicPage, inspectorFinding } from "./scan-responses.js";

const findingEvent = z.object({ detail: z.unknown() });

describe("mapEcrScanFindings", () => {
  it("maps a basic finding's name, severity, package attributes and the first line of its description", () => {
    // Act
    const findings = mapEcrScanFindings(ecrBasicPage());

    // Assert
    expect(findings).toEqual([
      {
        id: "CVE-2019-5188",
        severity: "HIGH",
        package: "e2fsprogs",
        installedVersion: "1.44.5-1+deb10u2",
        title:
          "A code execution vulnerability exists in the directory rehashing functionality of E2fsprogs e2fsck 1.45.4.",
      },
      expect.objectContaining({ id: "CVE-2019-5094", severity: "MEDIUM", package: "e2fsprogs" }),
    ]);
  });

  it("maps the enhanced findings ECR returns for a registry with enhanced scanning", () => {
    // Arrange
    const page = {
      imageScanStatus: { status: "ACTIVE" },
      imageScanFindings: {
        enhancedFindings: [inspectorFinding({ severity: "HIGH", fixedInVersion: "1.4.3-12.amzn2.3" })],
      },
    };

    // Act
    const findings = mapEcrScanFindings(page);

    // Assert
    expect(findings).toEqual([
      {
        id: "CVE-2019-17498",
        severity: "HIGH",
        package: "libssh2",
        installedVersion: "1.4.3-12.amzn2.2",
        fixedVersion: "1.4.3-12.amzn2.3",
        title: "CVE-2019-17498 - libssh2",
      },
    ]);
  });

  it("reads a page without findings as none", () => {
    // Act
    const findings = mapEcrScanFindings({ imageScanStatus: { status: "COMPLETE" }, imageScanFindings: {} });

    // Assert
    expect(findings).toEqual([]);
  });

  it("refuses a page whose findings are not findings", () => {
    // Act
    const map = () => mapEcrScanFindings({ imageScanFindings: { findings: [{ severity: "HIGH" }] } });

    // Assert
    expect(map).toThrow(/name/);
  });
});

describe("mapInspectorFindings", () => {
  it("maps an Inspector2 Finding event's detail: id, severity, package and [epoch:]version-release", () => {
    // Arrange
    const event = findingEvent.parse(readFixture("aws/inspector2-finding.package-vulnerability.json"));

    // Act
    const findings = mapInspectorFindings([event.detail]);

    // Assert
    expect(findings).toEqual([
      {
        id: "CVE-2023-45853",
        severity: "HIGH",
        package: "zlib1g",
        installedVersion: "1:1.2.13.dfsg-1",
        title: "CVE-2023-45853 - zlib1g",
        fixAvailable: false,
      },
    ]);
  });

  it("keeps Inspector's fixAvailable, and ignores its NotAvailable fixed version", () => {
    // Act
    const [partial, none] = mapInspectorFindings([
      inspectorFinding({ fixAvailable: "PARTIAL", fixedInVersion: "NotAvailable" }),
      inspectorFinding({ id: "CVE-2020-1", fixAvailable: "NO" }),
    ]);

    // Assert
    expect(partial).toMatchObject({ fixAvailable: true });
    expect(partial?.fixedVersion).toBeUndefined();
    expect(none).toMatchObject({ id: "CVE-2020-1", fixAvailable: false });
  });

  it("leaves out closed and suppressed findings", () => {
    // Act
    const findings = mapInspectorFindings([
      inspectorFinding({ id: "CVE-2020-1", status: "CLOSED" }),
      inspectorFinding({ id: "CVE-2020-2", status: "SUPPRESSED" }),
      inspectorFinding({ id: "CVE-2020-3" }),
    ]);

    // Assert
    expect(findings.map((finding) => finding.id)).toEqual(["CVE-2020-3"]);
  });

  it("gives one finding per vulnerable package, with the epoch when it is not zero", () => {
    // Arrange
    const finding = inspectorFinding({ severity: "CRITICAL" });
    finding.packageVulnerabilityDetails.vulnerablePackages.push({
      ...finding.packageVulnerabilityDetails.vulnerablePackages[0]!,
      name: "libssh2-devel",
      epoch: 1,
    });

    // Act
    const findings = mapInspectorFindings([finding]);

    // Assert
    expect(findings.map((item) => [item.package, item.installedVersion])).toEqual([
      ["libssh2", "1.4.3-12.amzn2.2"],
      ["libssh2-devel", "1:1.4.3-12.amzn2.2"],
    ]);
  });
});

describe("normaliseSeverity", () => {
  it.each([
    ["CRITICAL", "CRITICAL"],
    ["High", "HIGH"],
    ["Moderate", "MEDIUM"],
    ["Negligible", "INFORMATIONAL"],
    ["UNTRIAGED", "UNDEFINED"],
    ["UNKNOWN", "UNDEFINED"],
    ["bogus", "UNDEFINED"],
  ])("reads %s as %s", (text, expected) => {
    // Act
    const severity = normaliseSeverity(text);

    // Assert
    expect(severity).toBe(expected);
  });
});
