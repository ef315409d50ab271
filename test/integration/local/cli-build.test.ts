import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileDocumentStore } from "../../../functions/adapters/local/file-document-store.js";
import { recordHop } from "../../../functions/core/ledger/record-hop.js";
import { shiplineAt } from "../../unit/core/ledger/ledger-test-kit.js";

const ROOT = new URL("../../../", import.meta.url).pathname;

/** Runs node with arguments in the repository; its exit code and output. */
function node(args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, args, { cwd: ROOT, env, encoding: "utf8" });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("the compiled CLI", () => {
  let out: string;
  let dataDir: string;

  beforeAll(async () => {
    // Under the checkout (in its git-ignored .tmp), where the build finds package.json as dist/cli does.
    await mkdir(join(ROOT, ".tmp"), { recursive: true });
    out = await mkdtemp(join(ROOT, ".tmp", "cli-build-"));
    dataDir = join(out, "data");
    // What bin/shipline.mjs does with dist/cli/main.mjs.
    await writeFile(
      join(out, "run.mjs"),
      'const { main } = await import("./cli/main.mjs");\nprocess.exitCode = await main(process.argv.slice(2));\n',
    );
    const store = new FileDocumentStore({ directory: join(dataDir, "store") });
    for (const event of [shiplineAt("Image Approved", 0), shiplineAt("Deployment Verified", 30)]) {
      await recordHop({ store, event, productionEnvironments: new Set(["production"]) });
    }
  });

  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it("is built by scripts/build-cli.mjs into a small entry and a chunk per command", () => {
    // Act
    const build = node(["scripts/build-cli.mjs", "--outdir", join(out, "cli")]);

    // Assert
    expect(build.stderr).toBe("");
    expect(build.code).toBe(0);
    const help = node([join(out, "run.mjs"), "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^usage: shipline <command> \[options\]/);
  });

  it("runs a command from the build, as from the sources", () => {
    // Act
    const compiled = node([join(out, "run.mjs"), "trace", "web", "--data-dir", dataDir]);
    const source = node(["bin/shipline.mjs", "trace", "web", "--data-dir", dataDir], {
      ...process.env,
      SHIPLINE_CLI_FROM_SOURCE: "1",
    });

    // Assert
    expect(compiled.stderr).toBe("");
    expect(compiled.code).toBe(0);
    expect(compiled.stdout).toMatch(/^web @ f485fcc {2}[A-Z-]+: /);
    expect(compiled.stdout).toBe(source.stdout);
  });

  it("prints the package's version from the build", () => {
    // Act
    const version = node([join(out, "run.mjs"), "--version"]);

    // Assert
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^shipline \d+\.\d+\.\d+\n$/);
  });
});
