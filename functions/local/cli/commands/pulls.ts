import { parseArgs } from "node:util";
import { type Command, UsageError } from "../command.js";
import { openConfigPullRequests } from "./config-pull-requests.js";

/**
 * `shipline pulls`: the local config repository's pull requests (environments with
 * `approval: pull-request` wait in them), newest first: number, state, branch, title and, once
 * merged, the merge commit. `--json` prints them as the API answers them.
 *
 * @example
 * ```sh
 * shipline pulls
 * # #1  open    shipline/production/demo → main  deploy(production): demo 1.0.0-681fa6f
 * ```
 */
export const pullsCommand: Command = {
  name: "pulls",
  summary: "List the local config repository's pull requests (review environments wait in them)",
  usage: "shipline pulls [--json] [--config FILE] [--data-dir DIR]",
  async run(args, io) {
    const { values } = parseFlags(args);
    const pulls = await openConfigPullRequests(io, {
      ...(values["data-dir"] === undefined ? {} : { dataDir: values["data-dir"] }),
      ...(values.config === undefined ? {} : { config: values.config }),
    });
    const list = await pulls.list();
    if (values.json) {
      io.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      return 0;
    }
    if (list.length === 0) {
      io.stdout.write(`${pulls.repository} has no pull requests.\n`);
      return 0;
    }
    for (const pull of list) {
      const state = pull.merge_commit_sha ? `merged ${pull.merge_commit_sha.slice(0, 7)}` : pull.state;
      io.stdout.write(
        `#${pull.number}  ${state.padEnd(14)}  ${pull.head.ref} → ${pull.base.ref}  ${pull.title}\n`,
      );
    }
    return 0;
  },
};

function parseFlags(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: { json: { type: "boolean" }, config: { type: "string" }, "data-dir": { type: "string" } },
      allowPositionals: false,
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}
