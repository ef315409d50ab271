import { randomUUID } from "node:crypto";
import { resolve } from "node:path";
import { formatDuration, parseDuration } from "../../../core/config/duration.js";
import { DetailType } from "../../../core/contracts/detail-type.js";
import { gitSha, imageDigest, imageTag } from "../../../core/contracts/primitives.js";
import type { PromotionState } from "../../../core/promotion/promotion-state.js";
import { busLayout, DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { type Command, type CommandIo, NotFoundError, UsageError } from "../command.js";
import { terminalStyle } from "../terminal-style.js";
import { type ApprovalSubject, ApprovalWatch } from "./approval-watch.js";
import { archiveFacts, type JourneyFacts, ledgerFacts } from "./journey-facts.js";
import { LEDGER_TABLE_VARIABLE, openLedger } from "./ledger-cli.js";
import { actorOf, COMMON_OPTIONS, checkConfigured, checkName, parsePromotionArgs } from "./promotion-cli.js";
import { openPromotionTarget, type PromotionTarget } from "./promotion-target.js";
import { waitForApproval } from "./wait-for-approval.js";

/** How long `--wait` waits by default. */
const DEFAULT_TIMEOUT = "10m";

/**
 * `shipline approve <app> <env> <digest>`: approves an image for an environment that asks for
 * manual approval, by putting a `Promotion Approved` event on the running local bus (with `--aws`,
 * on Shipline's EventBridge bus); the promote step then promotes it if the image passed upstream
 * and is not a downgrade. The event carries the image's source commit and journey, read from
 * promote's state (the local store, or its DynamoDB table with `--aws`; `--commit` when the image
 * is not known there). `--redeploy` lets an image whose deployment failed in that environment in
 * again, the one way back for it (automation never brings a failed image back). An app or
 * environment the configuration does not have, an unknown digest, or `--redeploy` of an image
 * that never failed there is refused and nothing is published.
 *
 * `--wait` then follows the journey (locally the bus archive, like `shipline events --follow`; on
 * AWS the ledger table) until the image is verified in the environment (exit 0), its deployment or
 * a step failed, promote refused it, or `--timeout` (default 10m) passed (exit 1).
 *
 * @example
 * ```sh
 * shipline approve shop production sha256:4f1c... --comment "release 1.4" --wait
 * ```
 */
export const approveCommand: Command = {
  name: "approve",
  summary: "Approve an image for an environment with manual approval",
  usage:
    "shipline approve <app> <env> <digest> [--wait [--timeout 10m]] [--redeploy] [--comment TEXT] [--by NAME] [--commit SHA] [--config FILE] [--data-dir DIR] [--store-dir DIR] [--endpoint-url URL] [--aws [--bus NAME] [--promotion-table NAME] [--table NAME]]",
  options: [
    {
      flag: "--wait",
      text: "wait until the image is verified in the environment (exit 0) or fails (exit 1)",
    },
    {
      flag: "--timeout DURATION",
      text: `with --wait: how long to wait, e.g. 30m (default ${DEFAULT_TIMEOUT})`,
    },
    { flag: "--redeploy", text: "let an image whose deployment failed in the environment in again" },
    { flag: "--comment TEXT", text: "why, recorded with the approval" },
    ...COMMON_OPTIONS,
    {
      flag: "--table NAME",
      text: `with --aws --wait: the ledger table (default $${LEDGER_TABLE_VARIABLE}, the stack's LedgerTableName output)`,
    },
  ],
  details: [
    "<digest> is sha256:<hex> (at least 7 hex characters, as status and trace print it) or the image's tag.",
    "Exit codes: 0 approved (with --wait: verified), 1 failed or timed out, 2 bad usage, 3 unknown app,",
    "environment or image.",
  ].join("\n"),
  async run(args, io) {
    const { positionals, values } = parsePromotionArgs(args, ["app", "env", "digest"], {
      comment: { type: "string" },
      redeploy: { type: "boolean" },
      wait: { type: "boolean" },
      timeout: { type: "string" },
      table: { type: "string" },
    });
    const app = checkName("app", positionals[0]);
    const environment = checkName("env", positionals[1]);
    const wanted = positionals[2] ?? "";
    if (
      !imageDigest.safeParse(wanted).success &&
      !DIGEST_PREFIX.test(wanted) &&
      !imageTag.safeParse(wanted).success
    ) {
      throw new UsageError(
        `<digest> '${wanted}' is not an image digest: write sha256: and its hex characters (at least 7, as shipline status and trace print it) or the image's tag`,
      );
    }
    const commit = values.commit === undefined ? undefined : gitSha.safeParse(values.commit);
    if (commit !== undefined && !commit.success) {
      throw new UsageError(`--commit '${values.commit}' is not a full git sha: write the 40 hex characters`);
    }
    const timeoutSeconds = parseTimeout(values.timeout, values.wait === true);
    await checkConfigured(io, values.config, app, environment);
    const target = openPromotionTarget(io, values);
    try {
      const { state, where } = target;
      const digest = await resolveDigest({ state, app, wanted, where });
      const image = await state.image(app, digest);
      if (image === undefined && commit === undefined) {
        throw new NotFoundError(
          `no approved image ${digest} of ${app} is recorded in ${where}; check the digest (shipline status and shipline trace print it), or pass --commit <sha> of its source commit`,
        );
      }
      const redeploy = values.redeploy === true;
      if (redeploy && (await state.failure(app, environment, digest)) === undefined) {
        throw new UsageError(
          `--redeploy is for an image whose deployment failed in ${environment}; ${image?.tag ?? digest} never failed there: approve it without --redeploy`,
        );
      }
      const approvedBy = actorOf(io, values.by);
      const sourceCommit = commit?.data ?? image?.commit ?? "";
      const eventId = await target.publish({
        detailType: DetailType.PromotionApproved,
        detail: {
          app,
          commit: sourceCommit,
          correlationId: image?.correlationId ?? `approve-${randomUUID()}`,
          environment,
          digest,
          approvedBy,
          ...(values.comment === undefined ? {} : { comment: values.comment }),
          ...(redeploy ? { redeploy: true } : {}),
        },
      });
      io.stdout.write(
        `Promotion Approved${redeploy ? " (redeploy)" : ""}: ${app} ${image?.tag ?? digest} (${digest}) into ${environment} by ${approvedBy} (event ${eventId})\n`,
      );
      if (timeoutSeconds === undefined) return 0;
      return await waitForOutcome(io, target, {
        subject: {
          app,
          environment,
          digest,
          commit: sourceCommit,
          eventId,
          ...(image === undefined ? {} : { tag: image.tag }),
        },
        timeoutSeconds,
        values,
      });
    } finally {
      target.close();
    }
  },
};

const DIGEST_PREFIX = /^sha256:[0-9a-f]{7,63}$/;

function parseTimeout(timeout: string | undefined, wait: boolean): number | undefined {
  if (timeout !== undefined && !wait)
    throw new UsageError("--timeout goes with --wait: add --wait, or leave --timeout out");
  if (!wait) return undefined;
  const seconds = parseDuration(timeout ?? DEFAULT_TIMEOUT);
  if (seconds === undefined || seconds <= 0) {
    throw new UsageError(`--timeout '${timeout}' is not a duration: write e.g. 90s, 10m or 1h`);
  }
  return seconds;
}

/** Follows the approval to its end and prints each step; the exit code says how it ended. */
async function waitForOutcome(
  io: CommandIo,
  target: PromotionTarget,
  options: {
    readonly subject: ApprovalSubject;
    readonly timeoutSeconds: number;
    readonly values: { readonly "data-dir"?: string; readonly table?: string; readonly "store-dir"?: string };
  },
): Promise<number> {
  const { subject, timeoutSeconds, values } = options;
  const style = terminalStyle(io.stdout, io.env);
  const marks = {
    progress: style.dim("·"),
    waiting: style.waiting("…"),
    verified: style.ok("✓"),
    failed: style.failed("✗"),
  };
  io.stdout.write(
    `Waiting for ${subject.environment} to run ${subject.tag ?? subject.digest.slice(0, 19)} (at most ${formatDuration(timeoutSeconds)}; Ctrl+C stops waiting)\n`,
  );
  const ledger = target.kind === "aws" ? openLedger(io, { aws: true, table: values.table }) : undefined;
  try {
    const facts: JourneyFacts =
      ledger === undefined
        ? archiveFacts(busLayout(resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR)).archive)
        : ledgerFacts({ reader: ledger.reader, app: subject.app, commit: subject.commit });
    const outcome = await waitForApproval({
      subject,
      watch: new ApprovalWatch(subject),
      facts,
      state: target.state,
      timeoutMs: timeoutSeconds * 1000,
      signal: io.signal,
      pollMs: target.kind === "aws" ? 5000 : 1000,
      report: (update) => io.stdout.write(`${marks[update.kind]} ${update.text}\n`),
    });
    switch (outcome.kind) {
      case "verified":
        return 0;
      case "failed":
        return 1;
      case "timed-out":
        io.stderr.write(
          `shipline approve: no outcome after ${formatDuration(timeoutSeconds)}; follow it with: shipline trace ${subject.app}\n`,
        );
        return 1;
      default:
        io.stderr.write(`shipline approve: stopped waiting; follow it with: shipline trace ${subject.app}\n`);
        return 130;
    }
  } finally {
    ledger?.close();
  }
}

/**
 * The full digest a person means: a full digest as it is, else the one approved image of the app
 * whose digest starts with the prefix (`sha256:d4a96ee9443e`, as status and trace print it) or whose
 * tag it is. None is a {@link NotFoundError}; several a {@link UsageError} asking for more characters.
 */
async function resolveDigest(options: {
  readonly state: PromotionState;
  readonly app: string;
  readonly wanted: string;
  readonly where: string;
}): Promise<string> {
  const { state, app, wanted } = options;
  if (imageDigest.safeParse(wanted).success) return wanted;
  const images = await state.images(app);
  const matches = images.filter((image) =>
    DIGEST_PREFIX.test(wanted) ? image.digest.startsWith(wanted) : image.tag === wanted,
  );
  const [only, ...others] = matches;
  if (only === undefined) {
    throw new NotFoundError(
      `no approved image of ${app} has the ${DIGEST_PREFIX.test(wanted) ? "digest" : "tag"} ${wanted} in ${options.where}; check it with shipline status or shipline trace`,
    );
  }
  if (others.length > 0) {
    throw new UsageError(
      `'${wanted}' matches ${matches.length} images of ${app} (${matches.map((image) => image.digest.slice(0, 19)).join(", ")}); give more characters`,
    );
  }
  return only.digest;
}
