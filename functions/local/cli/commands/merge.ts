import { parseArgs } from "node:util";
import { type Command, UsageError } from "../command.js";
import { openConfigPullRequests } from "./config-pull-requests.js";
import { checkName } from "./promotion-cli.js";

/** Exit code when there is no open pull request for the app and environment. */
const NOT_FOUND = 3;

/**
 * `shipline merge <app> <environment>`: merges the open pull request of an app in an environment
 * with `approval: pull-request` on the local git server, as a reviewer would on GitHub. The merge
 * commit reaches the config branch and its push webhook; `review-merged` then reports it as
 * `Config Committed` and the chain deploys and verifies it. Exit 3 when no pull request is open.
 *
 * @example
 * ```sh
 * shipline merge demo production
 * # merged #1 (deploy(production): demo 1.0.0-681fa6f) into main as 3c1d2e9: deploying
 * ```
 */
export const mergeCommand: Command = {
  name: "merge",
  summary: "Merge the open pull request of an app in a review environment (local config repository)",
  usage: "shipline merge <app> <environment> [--squash] [--config FILE] [--data-dir DIR]",
  async run(args, io) {
    const { values, positionals } = parseFlags(args);
    if (positionals.length !== 2) {
      throw new UsageError(`expected 2 arguments (<app> <environment>), got ${positionals.length}`);
    }
    const app = checkName("app", positionals[0]);
    const environment = checkName("environment", positionals[1]);
    const pulls = await openConfigPullRequests(io, {
      ...(values["data-dir"] === undefined ? {} : { dataDir: values["data-dir"] }),
      ...(values.config === undefined ? {} : { config: values.config }),
    });
    const open = await pulls.openFor(app, environment);
    if (open === undefined) {
      io.stderr.write(
        `shipline merge: no open pull request of ${app} in ${environment} in ${pulls.repository}; 'shipline pulls' lists them\n`,
      );
      return NOT_FOUND;
    }
    const sha = await pulls.merge(open.number, values.squash ? "squash" : "merge");
    io.stdout.write(
      `merged #${open.number} (${open.title}) into ${open.base.ref} as ${sha.slice(0, 7)}: deploying\n`,
    );
    return 0;
  },
};

function parseFlags(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: { squash: { type: "boolean" }, config: { type: "string" }, "data-dir": { type: "string" } },
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
