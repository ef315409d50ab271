import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import { recordHop } from "../../../../functions/core/ledger/record-hop.js";
import { main } from "../../../../functions/local/cli/main.js";
import { shiplineAt } from "../../core/ledger/ledger-test-kit.js";
import { captureIo } from "../bus/capture-io.js";

describe("shipline's answers to bad usage", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-usage-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    [
      ["stauts"],
      "shipline: unknown command 'stauts'; did you mean 'status'? Run 'shipline --help' for the commands.",
    ],
    [["deploy"], "shipline: unknown command 'deploy'. Run 'shipline --help' for the commands."],
    [["--nope"], "shipline: unknown flag '--nope'. Run 'shipline --help' for the commands."],
  ])("refuses %j in one line with exit code 2", async (args, line) => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(args, capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toBe(`${line}\n`);
    expect(capture.stdout()).toBe("");
  });

  it.each([
    [
      ["status", "--jsn"],
      "shipline status: unknown flag '--jsn'; did you mean --json?",
      "usage: shipline status",
    ],
    [
      ["status", "--colour"],
      "shipline status: unknown flag '--colour'; run 'shipline status --help' for its flags",
      "usage: shipline status",
    ],
    [
      ["status", "--app"],
      "shipline status: --app needs a value: write --app <value>",
      "usage: shipline status",
    ],
    [
      ["status", "--app", "--json"],
      "shipline status: --app needs a value: write --app <value>",
      "usage: shipline status",
    ],
    [
      ["status", "--json=yes"],
      "shipline status: --json is a switch and takes no value: write --json alone",
      "usage: shipline status",
    ],
    [
      ["status", "demo"],
      "shipline status: unexpected argument 'demo': this command takes flags only; run 'shipline status --help' for its flags",
      "usage: shipline status",
    ],
    [
      ["status", "-o", "xml"],
      "shipline status: -o 'xml' is not an output format here: write -o table|wide|json|yaml",
      "usage: shipline status",
    ],
    [
      ["status", "--json", "-o", "yaml"],
      "shipline status: --json and -o yaml disagree: give one of them",
      "usage: shipline status",
    ],
    [
      ["status", "--window", "soon"],
      "shipline status: --window 'soon' is not a duration like 7d, 24h or 30d",
      "usage: shipline status",
    ],
    [
      ["trace"],
      "shipline trace: name a commit or an app: shipline trace <commit|app>, e.g. shipline trace demo",
      "usage: shipline trace",
    ],
    [
      ["approve", "shop", "production", "1.0.0", "--timeout", "10m"],
      "shipline approve: --timeout goes with --wait: add --wait, or leave --timeout out",
      "usage: shipline approve",
    ],
    [
      ["approve", "shop", "production", "1.0.0", "--wait", "--timeout", "soon"],
      "shipline approve: --timeout 'soon' is not a duration: write e.g. 90s, 10m or 1h",
      "usage: shipline approve",
    ],
    [
      ["start", "--timeout", "0m"],
      "shipline start: --timeout '0m' is not a duration: write e.g. 90s or 15m",
      "usage: shipline start",
    ],
    [
      ["replay"],
      "shipline replay: --from is required: say where the replay starts, e.g. --from 2h or --from 2026-11-24T05:00:00Z",
      "usage: shipline replay",
    ],
  ])("answers %j with what was wrong, the usage line and exit code 2", async (args, first, second) => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(args, capture.io);

    // Assert
    expect(code).toBe(2);
    const lines = capture.stderr().split("\n");
    expect(lines[0]).toBe(first);
    expect(lines[1]).toMatch(new RegExp(`^${second}\\b`));
    expect(lines.slice(2)).toEqual([""]);
  });

  it("answers an app the ledger never saw with exit code 3 and the apps it knows", async () => {
    // Arrange
    const store = new FileDocumentStore({ directory: join(dir, ".shipline", "store") });
    await recordHop({ store, event: shiplineAt("Build Started", 0), productionEnvironments: new Set() });
    const capture = captureIo(dir);

    // Act
    const code = await main(["status", "--app", "shop"], capture.io);

    // Assert
    expect(code).toBe(3);
    expect(capture.stderr()).toMatch(
      /^shipline status: app 'shop' is not recorded in .*ledger\.json \(apps: web\); check the name, or leave --app out\n$/,
    );
  });
});
