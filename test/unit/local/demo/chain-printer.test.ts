import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { terminalStyle } from "../../../../functions/local/cli/terminal-style.js";
import { ChainPrinter, journeyWidth } from "../../../../functions/local/demo/chain-printer.js";

const SHA = "681fa6f0123456789abcdef0123456789abcdef0";
const OTHER = "c3d9e120123456789abcdef0123456789abcdef0";

let sequence = 0;

function anEvent(detailType: string, detail: Record<string, unknown>, source = "shipline"): EventEnvelope {
  return {
    version: "0",
    id: `event-${++sequence}`,
    "detail-type": detailType,
    source,
    account: "000000000000",
    time: "2026-03-01T12:00:00Z",
    region: "local",
    resources: [],
    detail,
  };
}

const about = (commit: string, correlationId: string) => ({ app: "demo", commit, correlationId });

/** A printer whose clock the test moves, writing to a string. */
function printerWith(options: Omit<ConstructorParameters<typeof ChainPrinter>[0], "out" | "now"> = {}) {
  let now = Date.parse("2026-03-01T12:00:00.000Z");
  const chunks: string[] = [];
  const out = new PassThrough();
  out.on("data", (chunk: Buffer) => chunks.push(String(chunk)));
  const printer = new ChainPrinter({ out, now: () => now, ...options });
  return {
    printer,
    advance: (seconds: number) => {
      now += seconds * 1000;
    },
    lines: async () => {
      await printer.idle();
      await new Promise((resolve) => setImmediate(resolve));
      return chunks.join("").split("\n").filter(Boolean);
    },
  };
}

/** The step and total columns of a printed line. */
function durations(line: string | undefined): string[] {
  return /\s(\+\d+\.\ds)\s+(\d+\.\ds)\s/.exec(line ?? "")?.slice(1) ?? [];
}

describe("ChainPrinter", () => {
  it("times each journey from its own first event, not from the run's", async () => {
    // Arrange
    const { printer, advance, lines } = printerWith();

    // Act
    printer.print(anEvent("Build Started", { ...about(SHA, "push-1"), imageTag: "1.0.0-681fa6f" }));
    advance(30);
    printer.print(anEvent("Build Started", { ...about(OTHER, "push-2"), imageTag: "1.0.1-c3d9e12" }));
    advance(2);
    printer.print(
      anEvent("Image Pushed", { ...about(SHA, "push-1"), repository: "demo", tag: "1.0.0-681fa6f" }),
    );
    advance(1.5);
    printer.print(
      anEvent("Image Pushed", { ...about(OTHER, "push-2#2"), repository: "demo", tag: "1.0.1-c3d9e12" }),
    );

    // Assert
    const printed = await lines();
    expect(printed.map(durations)).toEqual([
      ["+0.0s", "0.0s"],
      ["+0.0s", "0.0s"],
      ["+32.0s", "32.0s"],
      ["+3.5s", "3.5s"],
    ]);
  });

  it("leaves the config repository's own pushes out", async () => {
    // Arrange
    const { printer, lines } = printerWith({ quietRepositories: new Set(["demo-config"]) });
    const push = (repository: string) =>
      anEvent("Commit Pushed", {
        app: null,
        commit: SHA,
        correlationId: `github:${repository}`,
        repository: { name: repository, fullName: repository, url: `http://git/${repository}.git` },
        refName: "main",
        pusher: { name: "shipline-developer" },
      });

    // Act
    printer.print(push("demo-config"));
    printer.print(push("demo"));

    // Assert
    const printed = await lines();
    expect(printed).toHaveLength(1);
    expect(printed[0]).toContain("demo@681fa6f");
    expect(printed[0]).toContain("Commit Pushed");
  });

  it("shows the tag a templated Build Started will get, and the template when it cannot tell", async () => {
    // Arrange
    const { printer, lines } = printerWith({
      renderTag: async (app, commit, template) =>
        app === "demo" && commit === SHA ? template.replace("{version}", "1.0.0") : undefined,
    });

    // Act
    printer.print(
      anEvent("Build Started", { ...about(SHA, "push-1"), imageTagTemplate: "{version}-681fa6f" }),
    );
    printer.print(
      anEvent("Build Started", { ...about(OTHER, "push-2"), imageTagTemplate: "{version}-c3d9e12" }),
    );

    // Assert
    const printed = await lines();
    expect(printed[0]).toMatch(/Build Started .* 1\.0\.0-681fa6f$/);
    expect(printed[1]).toMatch(/Build Started .* \{version\}-c3d9e12$/);
  });

  it("keeps the events' order while a tag renders", async () => {
    // Arrange
    let release: () => void = () => undefined;
    const rendering = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { printer, lines } = printerWith({
      renderTag: async () => {
        await rendering;
        return "1.0.0-681fa6f";
      },
    });

    // Act
    printer.print(
      anEvent("Build Started", { ...about(SHA, "push-1"), imageTagTemplate: "{version}-681fa6f" }),
    );
    printer.print(
      anEvent("Image Pushed", { ...about(SHA, "push-1"), repository: "demo", tag: "1.0.0-681fa6f" }),
    );
    release();

    // Assert
    const printed = await lines();
    expect(printed.map((line) => (line.includes("Build Started") ? "build" : "image"))).toEqual([
      "build",
      "image",
    ]);
  });

  it("ties image and build events of AWS services to their app's journey", async () => {
    // Arrange
    const { printer, advance, lines } = printerWith({
      appOfImageRepository: (repository) => (repository === "demo-images" ? "demo" : undefined),
    });

    // Act
    printer.print(anEvent("Build Started", { ...about(SHA, "push-1"), imageTag: "1.0.0-681fa6f" }));
    advance(4);
    printer.print(
      anEvent(
        "ECR Image Action",
        { "repository-name": "demo-images", "image-tag": "1.0.0-681fa6f" },
        "aws.ecr",
      ),
    );
    advance(1);
    printer.print(
      anEvent(
        "CodeBuild Build State Change",
        {
          "project-name": "demo",
          "build-status": "SUCCEEDED",
          "additional-information": {
            environment: {
              "environment-variables": [
                { name: "SHIPLINE_APP", value: "demo" },
                { name: "SHIPLINE_COMMIT", value: SHA },
                { name: "SHIPLINE_CORRELATION_ID", value: "push-1" },
              ],
            },
          },
        },
        "aws.codebuild",
      ),
    );

    // Assert
    const printed = await lines();
    expect(printed.map((line) => line.slice(11, 27).trim())).toEqual([
      "demo@681fa6f",
      "demo@681fa6f",
      "demo@681fa6f",
    ]);
    expect(printed.map(durations)).toEqual([
      ["+0.0s", "0.0s"],
      ["+4.0s", "4.0s"],
      ["+1.0s", "5.0s"],
    ]);
  });

  it("widens the journey column to the longest app and shortens longer names in the middle", async () => {
    // Arrange
    const width = journeyWidth(["demo", "payments-reconciliation"]);
    const { printer, lines } = printerWith({ journeyWidth: width });

    // Act
    printer.print(anEvent("Build Started", { ...about(SHA, "push-1"), app: "payments-reconciliation" }));
    printer.print(
      anEvent("Build Started", {
        ...about(SHA, "push-2"),
        app: "a-name-far-longer-than-any-column-should-ever-be",
      }),
    );

    // Assert
    const printed = await lines();
    expect(width).toBe(31);
    expect(printed[0]?.slice(11, 11 + width)).toBe("payments-reconciliation@681fa6f");
    expect(printed[1]?.slice(11, 11 + width)).toBe("a-name-far-longer-than…@681fa6f");
    expect(printed[0]?.indexOf("Build Started")).toBe(printed[1]?.indexOf("Build Started"));
    expect(printer.header().indexOf("event")).toBe(printed[0]?.indexOf("Build Started"));
  });

  it("keeps the journey column between 16 and 40 characters", () => {
    // Act
    const widths = [journeyWidth([]), journeyWidth(["demo"]), journeyWidth(["x".repeat(60)])];

    // Assert
    expect(widths).toEqual([16, 16, 40]);
  });

  it("colours the marks on a terminal: ✓ green, ✗ red, … yellow", async () => {
    // Arrange
    const { printer, lines } = printerWith({ style: terminalStyle({ isTTY: true }, {}) });
    const at = { ...about(SHA, "push-1"), environment: "production" };

    // Act
    printer.print(anEvent("Deployment Verified", { ...at, application: "demo-production" }));
    printer.print(anEvent("Deployment Failed", { ...at, reason: "Degraded" }));
    printer.print(anEvent("Promotion Waiting", { ...at, waitingFor: "approval" }));

    // Assert
    const printed = await lines();
    expect(printed.map((line) => line.split(" ")[1])).toEqual([
      "\u001b[32m✓\u001b[39m",
      "\u001b[31m✗\u001b[39m",
      "\u001b[33m…\u001b[39m",
    ]);
  });
});
