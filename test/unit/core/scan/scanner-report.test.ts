import { describe, expect, it } from "vitest";
import * as z from "zod";
import { mapGrypeReport } from "../../../../functions/core/scan/grype-report.js";
import { mapScannerReport } from "../../../../functions/core/scan/scanner-report.js";
import { mapTrivyReport } from "../../../../functions/core/scan/trivy-report.js";
import { readFixture } from "../../../read-fixture.js";

describe("mapTrivyReport", () => {
  it("maps every vulnerability of every result, keeping the first of several fixed versions", () => {
    // Arrange
    const report = readFixture("scan/trivy-report.json");

    // Act
    const findings = mapTrivyReport(report);

    // Assert
    expect(findings).toEqual([
      {
        id: "CVE-2024-5535",
        severity: "CRITICAL",
        package: "libssl3",
        installedVersion: "3.0.14-1~deb12u2",
        fixedVersion: "3.0.15-1~deb12u1",
        title: "openssl: SSL_select_next_proto buffer overread",
      },
      {
        id: "CVE-2023-45853",
        severity: "MEDIUM",
        package: "zlib1g",
        installedVersion: "1:1.2.13.dfsg-1",
        title: "zlib: integer overflow and resultant heap-based buffer overflow in zipOpenNewFileInZip4_6",
      },
    ]);
  });

  it("reads a report without results (nothing to scan in the image) as no finding", () => {
    // Act
    const findings = mapTrivyReport({ SchemaVersion: 2, ArtifactName: "ghcr.io/acme/empty" });

    // Assert
    expect(findings).toEqual([]);
  });
});

describe("mapGrypeReport", () => {
  it("maps each match with its package, the first fixed version and whether a fix exists", () => {
    // Arrange
    const report = readFixture("scan/grype-report.json");

    // Act
    const findings = mapGrypeReport(report);

    // Assert
    expect(findings).toEqual([
      {
        id: "CVE-2024-5535",
        severity: "CRITICAL",
        package: "libssl3",
        installedVersion: "3.0.14-1~deb12u2",
        fixedVersion: "3.0.15-1~deb12u1",
        fixAvailable: true,
      },
      {
        id: "CVE-2023-45853",
        severity: "MEDIUM",
        package: "zlib1g",
        installedVersion: "1:1.2.13.dfsg-1",
        fixAvailable: false,
      },
    ]);
  });
});

describe("mapScannerReport", () => {
  it("maps a report with the mapping of the scanner that wrote it", () => {
    // Arrange
    const trivy = readFixture("scan/trivy-report.json");
    const grype = readFixture("scan/grype-report.json");

    // Act
    const fromTrivy = mapScannerReport("trivy", trivy);
    const fromGrype = mapScannerReport("grype", grype);

    // Assert
    expect(fromTrivy.map((finding) => finding.id)).toEqual(["CVE-2024-5535", "CVE-2023-45853"]);
    expect(fromGrype.map((finding) => finding.fixAvailable)).toEqual([true, false]);
  });

  it("refuses another tool's report, rather than reading it as one without findings", () => {
    // Arrange
    const grype = readFixture("scan/grype-report.json");
    const trivy = readFixture("scan/trivy-report.json");

    // Act
    const grypeAsTrivy = () => mapScannerReport("trivy", grype);
    const trivyAsGrype = () => mapScannerReport("grype", trivy);

    // Assert
    expect(grypeAsTrivy).toThrow(z.ZodError);
    expect(trivyAsGrype).toThrow(z.ZodError);
  });
});
