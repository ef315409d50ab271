import { resolve } from "node:path";
import { CONFIG_FILE_NAME, loadConfigFile } from "../../../adapters/local/config-file-loader.js";
import { type Command, type CommandIo, UsageError } from "../command.js";
import { parseCommandArgs } from "../parse-command-args.js";
import { openConfigPullRequests } from "./config-pull-requests.js";
import { GIT_TOKEN_VARIABLE, hostPullRequests } from "./host-pull-requests.js";
import { checkConfigured, checkName } from "./promotion-cli.js";

/** Exit code when there is no open pull request for the app and environment. */
const NOT_FOUND = 3;

/**
 * `shipline merge <app> <environment>`: merges the open pull request of an app in an environment
 * with `approval: pull-request` on the local git server, as a reviewer would on GitHub. The merge
 * commit reaches the config branch and its push webhook; `review-merged` then reports it as
 * `Config Committed` and the chain deploys and verifies it. With `--aws`, the config repository is
 * the deployed one on GitHub or GitLab (`configRepo.pullRequest`), merged with a person's token
 * (`SHIPLINE_GIT_TOKEN`, `GITHUB_TOKEN` / `GH_TOKEN` or `GITLAB_TOKEN`). Exit 3 when no pull request
 * is open, or the configuration has no such app or environment.
 *
 * @example
 * ```sh
 * shipline merge demo production
 * # merged #1 (deploy(production): demo 1.0.0-681fa6f) into main as 3c1d2e9: deploying
 * ```
 */
export const mergeCommand: Command = {
  name: "merge",
  summary: "Merge the open pull request of an app in a review environment",
  usage: "shipline merge <app> <environment> [--squash] [--config FILE] [--data-dir DIR] [--aws]",
  options: [
    { flag: "--squash", text: "squash the pull request's commits into one" },
    {
      flag: "--config FILE",
      text: "the configuration naming the config repository (default shipline.config.yaml)",
    },
    { flag: "--data-dir DIR", text: "the local runtime's data directory (default .shipline)" },
    {
      flag: "--aws",
      text: `merge on the deployed config repository's host (GitHub or GitLab), with $${GIT_TOKEN_VARIABLE} or the host's token variable`,
    },
  ],
  details:
    "Exit codes: 0 merged, 1 the host refused, 2 bad usage, 3 no open pull request, unknown app or environment.",
  async run(args, io) {
    const { values, positionals } = parseFlags(args);
    if (positionals.length !== 2) {
      throw new UsageError(`expected 2 arguments (<app> <environment>), got ${positionals.length}`);
    }
    const app = checkName("app", positionals[0]);
    const environment = checkName("environment", positionals[1]);
    await checkConfigured(io, values.config, app, environment);
    if (values.aws)
      return mergeOnHost(io, { app, environment, config: values.config, squash: values.squash });
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
  return parseCommandArgs(
    args,
    {
      squash: { type: "boolean" },
      config: { type: "string" },
      "data-dir": { type: "string" },
      aws: { type: "boolean" },
    },
    { positionals: true },
  );
}

/** `--aws`: the open pull request on the config repository's own host. */
async function mergeOnHost(
  io: CommandIo,
  options: {
    readonly app: string;
    readonly environment: string;
    readonly config?: string;
    readonly squash?: boolean;
  },
): Promise<number> {
  const file = resolve(io.cwd, options.config ?? CONFIG_FILE_NAME);
  const { configRepo } = await loadConfigFile(file);
  if (configRepo.url.startsWith("local:")) {
    throw new UsageError(
      `the config repository is ${configRepo.url}, one of the local runtime: leave --aws out to merge it there`,
    );
  }
  if (configRepo.pullRequest === undefined) {
    throw new UsageError(
      `${file} has no configRepo.pullRequest: no environment is reviewed through pull requests on ${configRepo.url}`,
    );
  }
  const pulls = hostPullRequests({ repoUrl: configRepo.url, config: configRepo.pullRequest, env: io.env });
  const open = await pulls.openFor(options.app, options.environment);
  if (open === undefined) {
    io.stderr.write(
      `shipline merge: no open pull request of ${options.app} in ${options.environment} on ${pulls.repository}\n`,
    );
    return NOT_FOUND;
  }
  const sha = await pulls.merge(open, options.squash ? "squash" : "merge");
  io.stdout.write(
    `merged #${open.number} (${open.title}) on ${pulls.repository} as ${sha.slice(0, 7)}: deploying\n${open.url}\n`,
  );
  return 0;
}
