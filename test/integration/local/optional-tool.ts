import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** A real program some integration tests drive when it is installed (`.ci/run` installs them all). */
export interface OptionalTool {
  /** The program, e.g. `skopeo`. */
  readonly name: string;
  /** Whether it was found when the test file was collected. */
  readonly installed: boolean;
  /** What is missing, what the tests need it for, and the command that installs it. */
  readonly missing: string;
}

/** Whether the run is a CI run (`CI=true`, as CI services set it), where every test must run. */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return /^(true|1)$/i.test(env.CI ?? "");
}

/** Whether `command` runs: `<command> <versionFlag>` exits 0. */
export function commandRuns(command: string, versionFlag = "--version"): boolean {
  const result = spawnSync(command, [versionFlag], { stdio: "ignore", timeout: 10_000 });
  return result.error === undefined && result.status === 0;
}

/**
 * Describes an optional tool, checked once when the test file is collected.
 *
 * @example
 * ```ts
 * const SKOPEO = optionalTool({
 *   name: "skopeo",
 *   neededFor: "a real OCI client against the embedded registry",
 *   install: "apt-get install -y --no-install-recommends skopeo",
 *   installed: commandRuns("skopeo"),
 * });
 * ```
 */
export function optionalTool(options: {
  readonly name: string;
  readonly neededFor: string;
  readonly install: string;
  readonly installed: boolean;
}): OptionalTool {
  return {
    name: options.name,
    installed: options.installed,
    missing:
      `${options.name} is not installed, so the tests that drive it (${options.neededFor}) did not run; ` +
      `install it with \`${options.install}\` (Debian/Ubuntu; .ci/run installs it) and run them again`,
  };
}

/** Debian's Chromium at `path` (`/usr/bin/chromium`), for the tests that drive a headless browser. */
export function chromiumAt(path: string): OptionalTool {
  return optionalTool({
    name: "chromium",
    neededFor: `a headless browser at ${path} showing the timeline page`,
    install: "apt-get install -y --no-install-recommends chromium",
    installed: existsSync(path),
  });
}

/**
 * A describe block whose tests need `tool`. With the tool installed it runs as usual. Without it,
 * its tests are skipped and one line on stderr says which tool is missing, what for and how to
 * install it; under `CI=true` a test asserting that the tool is installed fails with that same
 * message instead, so a CI run cannot pass without them.
 */
export function describeWithTool(tool: OptionalTool, name: string, body: () => void): void {
  if (isCi()) {
    it(`has ${tool.name} installed, since CI runs every test`, () => {
      expect(tool.installed, tool.missing).toBe(true);
    });
  } else if (!tool.installed) {
    console.warn(`NOT RUN: ${name}: ${tool.missing}`);
  }
  describe.skipIf(!tool.installed)(name, body);
}
