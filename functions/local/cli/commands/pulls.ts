import type { Command } from "../command.js";
import {
  isDataFormat,
  OUTPUT_FLAGS,
  outputFormatOf,
  outputOptions,
  renderDocuments,
} from "../output-format.js";
import { parseCommandArgs } from "../parse-command-args.js";
import { openConfigPullRequests } from "./config-pull-requests.js";

/**
 * `shipline pulls`: the local config repository's pull requests (environments with
 * `approval: pull-request` wait in them), newest first: number, state, branch, title and, once
 * merged, the merge commit (`-o wide` adds the head commit and the link). `-o json|yaml` (or `--json`)
 * prints them as the API answers them.
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
  usage: "shipline pulls [-o table|wide|json|yaml] [--config FILE] [--data-dir DIR]",
  options: [
    ...outputOptions(),
    {
      flag: "--config FILE",
      text: "the configuration naming the config repository (default shipline.config.yaml)",
    },
    { flag: "--data-dir DIR", text: "the local runtime's data directory (default .shipline)" },
  ],
  async run(args, io) {
    const { values } = parseFlags(args);
    const format = outputFormatOf(values);
    const pulls = await openConfigPullRequests(io, {
      ...(values["data-dir"] === undefined ? {} : { dataDir: values["data-dir"] }),
      ...(values.config === undefined ? {} : { config: values.config }),
    });
    const list = await pulls.list();
    if (isDataFormat(format)) {
      io.stdout.write(await renderDocuments(format, [list], { indent: 2 }));
      return 0;
    }
    if (list.length === 0) {
      io.stdout.write(`${pulls.repository} has no pull requests.\n`);
      return 0;
    }
    for (const pull of list) {
      const state = pull.merge_commit_sha ? `merged ${pull.merge_commit_sha.slice(0, 7)}` : pull.state;
      const wide = format === "wide" ? `  ${pull.head.sha.slice(0, 12)}  ${pull.html_url}` : "";
      io.stdout.write(
        `#${pull.number}  ${state.padEnd(14)}  ${pull.head.ref} → ${pull.base.ref}  ${pull.title}${wide}\n`,
      );
    }
    return 0;
  },
};

function parseFlags(args: readonly string[]) {
  return parseCommandArgs(args, {
    ...OUTPUT_FLAGS,
    config: { type: "string" },
    "data-dir": { type: "string" },
  });
}
