import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CommandScanner } from "../../../../functions/local/scanner/command-scanner.js";

const IMAGE = {
  repository: "demo",
  digest: `sha256:${"cd".repeat(32)}`,
  reference: `127.0.0.1:5000/demo@sha256:${"cd".repeat(32)}`,
};

/** A recorded `trivy image --format json` report (schema version 2), trimmed to two results. */
const TRIVY_REPORT = {
  SchemaVersion: 2,
  ArtifactName: "127.0.0.1:5000/demo@sha256:cdcd",
  ArtifactType: "container_image",
  Results: [
    {
      Target: "demo (debian 12.5)",
      Class: "os-pkgs",
      Type: "debian",
      Vulnerabilities: [
        {
          VulnerabilityID: "CVE-2024-2961",
          PkgName: "libc6",
          InstalledVersion: "2.36-9+deb12u4",
          FixedVersion: "2.36-9+deb12u7, 2.36-9+deb12u8",
          Status: "fixed",
          Severity: "HIGH",
          Title: "glibc: Out of bounds write in iconv may lead to remote code execution",
        },
        {
          VulnerabilityID: "CVE-2011-3374",
          PkgName: "apt",
          InstalledVersion: "2.6.1",
          Severity: "LOW",
          Status: "affected",
        },
      ],
    },
    { Target: "app/package-lock.json", Class: "lang-pkgs", Type: "npm" },
  ],
};

/** A recorded `grype <image> -o json` report, trimmed to two matches. */
const GRYPE_REPORT = {
  matches: [
    {
      vulnerability: {
        id: "GHSA-3xgq-45jj-v275",
        dataSource: "https://github.com/advisories/GHSA-3xgq-45jj-v275",
        namespace: "github:language:javascript",
        severity: "High",
        fix: { versions: ["7.0.5"], state: "fixed" },
      },
      relatedVulnerabilities: [{ id: "CVE-2024-21538" }],
      artifact: { name: "cross-spawn", version: "7.0.3", type: "npm" },
    },
    {
      vulnerability: {
        id: "CVE-2005-2541",
        severity: "Negligible",
        fix: { versions: [], state: "wont-fix" },
      },
      artifact: { name: "tar", version: "1.34+dfsg-1.2+deb12u1", type: "deb" },
    },
  ],
  source: { type: "image" },
  descriptor: { name: "grype", version: "0.80.0" },
};

/** A tiny script that prints the file named by its first argument, as a scanner prints its report. */
const PRINT_FILE = "process.stdout.write(require('node:fs').readFileSync(process.argv[1], 'utf8'))";

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), "shipline-scanner-"));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function report(name: string, content: unknown): Promise<string> {
  const file = path.join(directory, name);
  await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
  return file;
}

describe("CommandScanner", () => {
  it("maps a Trivy report: id, severity, package, installed and first fixed version", async () => {
    // Arrange
    const scanner = new CommandScanner({
      command: [process.execPath, "-e", PRINT_FILE, await report("trivy.json", TRIVY_REPORT)],
    });

    // Act
    const findings = await scanner.scan(IMAGE);

    // Assert
    expect(findings).toEqual([
      {
        id: "CVE-2024-2961",
        severity: "HIGH",
        package: "libc6",
        installedVersion: "2.36-9+deb12u4",
        fixedVersion: "2.36-9+deb12u7",
        title: "glibc: Out of bounds write in iconv may lead to remote code execution",
      },
      { id: "CVE-2011-3374", severity: "LOW", package: "apt", installedVersion: "2.6.1" },
    ]);
  });

  it("maps a Grype report, with whether a fix exists", async () => {
    // Arrange
    const scanner = new CommandScanner({
      command: [process.execPath, "-e", PRINT_FILE, await report("grype.json", GRYPE_REPORT)],
    });

    // Act
    const findings = await scanner.scan(IMAGE);

    // Assert
    expect(findings).toEqual([
      {
        id: "GHSA-3xgq-45jj-v275",
        severity: "HIGH",
        package: "cross-spawn",
        installedVersion: "7.0.3",
        fixedVersion: "7.0.5",
        fixAvailable: true,
      },
      {
        id: "CVE-2005-2541",
        severity: "INFORMATIONAL",
        package: "tar",
        installedVersion: "1.34+dfsg-1.2+deb12u1",
        fixAvailable: false,
      },
    ]);
  });

  it("puts the image reference where the command says {image}", async () => {
    // Arrange
    const echo =
      "process.stdout.write(JSON.stringify({ SchemaVersion: 2, Results: [{ Vulnerabilities: [{ VulnerabilityID: 'CVE-2024-1', Severity: 'HIGH', PkgName: process.argv[1] }] }] }))";
    const scanner = new CommandScanner({ command: [process.execPath, "-e", echo, "scanned:{image}"] });

    // Act
    const [finding] = await scanner.scan(IMAGE);

    // Assert
    expect(finding?.package).toBe(`scanned:${IMAGE.reference}`);
  });

  it("reports a failing command with its exit code and the end of its stderr", async () => {
    // Arrange
    const fail = "process.stderr.write('FATAL: unable to reach the registry'); process.exit(3)";
    const scanner = new CommandScanner({ command: [process.execPath, "-e", fail], name: "trivy" });

    // Act
    const scan = scanner.scan(IMAGE);

    // Assert
    await expect(scan).rejects.toMatchObject({
      code: "SCANNER_FAILED",
      retryable: false,
      message: expect.stringMatching(
        /^trivy failed \(exit 3\) scanning .*: FATAL: unable to reach the registry/,
      ),
    });
  });

  it("stops a scan that outlives its timeout", async () => {
    // Arrange
    const scanner = new CommandScanner({
      command: [process.execPath, "-e", "setTimeout(() => {}, 60000)"],
      timeoutMs: 300,
    });

    // Act
    const scan = scanner.scan(IMAGE);

    // Assert
    await expect(scan).rejects.toMatchObject({ code: "SCANNER_TIMED_OUT" });
  });

  it("says when the command cannot be started", async () => {
    // Arrange
    const scanner = new CommandScanner({
      command: `${path.join(directory, "no-such-scanner")} image {image}`,
    });

    // Act
    const scan = scanner.scan(IMAGE);

    // Assert
    await expect(scan).rejects.toMatchObject({
      code: "SCANNER_FAILED",
      message: expect.stringMatching(/could not be started/),
    });
  });

  it.each([
    ["output that is not JSON", "not json at all"],
    ["JSON that is no known report", { hello: "world" }],
    [
      "a Trivy report of the wrong shape",
      { SchemaVersion: 2, Results: [{ Vulnerabilities: [{ Severity: "HIGH" }] }] },
    ],
  ])("refuses %s", async (_title, content) => {
    // Arrange
    const scanner = new CommandScanner({
      command: [process.execPath, "-e", PRINT_FILE, await report("out.json", content)],
    });

    // Act
    const scan = scanner.scan(IMAGE);

    // Assert
    await expect(scan).rejects.toMatchObject({ code: "SCANNER_OUTPUT_INVALID" });
  });

  it("refuses an empty command", () => {
    // Act
    const create = () => new CommandScanner({ command: "   " });

    // Assert
    expect(create).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
  });
});
