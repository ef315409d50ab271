import { execFile } from "node:child_process";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { Finding } from "../../core/scan/finding.js";
import { mapGrypeReport } from "../../core/scan/grype-report.js";
import { mapTrivyReport } from "../../core/scan/trivy-report.js";
import type { ImageScanner, ScannedImage } from "./image-scanner.js";

/** The report formats {@link CommandScanner} reads. */
export type ScannerReportFormat = "trivy" | "grype" | "auto";

/** Options of {@link CommandScanner}. */
export interface CommandScannerOptions {
  /**
   * The command and its arguments; `{image}` in any argument becomes the image reference. A string
   * is split on spaces (no quoting), e.g. `trivy image --format json --quiet {image}` or
   * `grype {image} -o json`.
   */
  readonly command: string | readonly string[];
  /** The report's format. @default "auto" - Trivy when it has `Results`, Grype when it has `matches` */
  readonly format?: ScannerReportFormat;
  /** How long the scan may run before it is killed. @default 300_000 (5 minutes) */
  readonly timeoutMs?: number;
  /** The command's environment. @default - this process's */
  readonly env?: NodeJS.ProcessEnv;
  /** The scanner's name in messages. @default - the command's first word */
  readonly name?: string;
}

/** The largest report read from the command, in bytes. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** The last characters of the command's stderr quoted in an error. */
const STDERR_TAIL = 2000;

const execFailure = z.object({
  code: z.union([z.number(), z.string()]).nullish(),
  killed: z.boolean().optional(),
  signal: z.string().nullish(),
});

/**
 * Runs a scanning tool the user has, such as Trivy or Grype, on an image of the local registry and
 * maps its JSON report to findings. The command runs without a shell, with a timeout; a failing,
 * timed-out or unreadable scan throws `SCANNER_FAILED`, `SCANNER_TIMED_OUT` or
 * `SCANNER_OUTPUT_INVALID` (permanent: the scan service records the scan as FAILED).
 *
 * @example
 * ```ts
 * const scanner = new CommandScanner({ command: "trivy image --format json --quiet {image}" });
 * const findings = await scanner.scan({ repository: "demo", digest, reference: `${registry.host}/demo@${digest}` });
 * ```
 */
export class CommandScanner implements ImageScanner {
  readonly name: string;
  readonly #argv: readonly string[];
  readonly #format: ScannerReportFormat;
  readonly #timeoutMs: number;
  readonly #env: NodeJS.ProcessEnv | undefined;

  constructor(options: CommandScannerOptions) {
    const argv =
      typeof options.command === "string" ? options.command.split(/\s+/).filter(Boolean) : options.command;
    if (argv.length === 0 || argv[0] === undefined) {
      throw new ShiplineError({
        code: "CONFIG_INVALID",
        message: "the scanner command is empty; give one such as 'trivy image --format json --quiet {image}'",
        data: {},
      });
    }
    this.#argv = argv;
    this.#format = options.format ?? "auto";
    this.#timeoutMs = options.timeoutMs ?? 300_000;
    this.#env = options.env;
    this.name = options.name ?? argv[0];
  }

  /** Runs the command on the image and maps its report. */
  async scan(image: ScannedImage): Promise<Finding[]> {
    const [file, ...args] = this.#argv.map((argument) => argument.replaceAll("{image}", image.reference));
    const stdout = await this.#run(file ?? "", args, image);
    let json: unknown;
    try {
      json = JSON.parse(stdout);
    } catch (error) {
      throw this.#invalid(
        image,
        `its output is not JSON (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    const format = this.#format === "auto" ? detectFormat(json) : this.#format;
    if (format === undefined) {
      throw this.#invalid(image, "its report has neither Trivy's 'Results' nor Grype's 'matches'");
    }
    try {
      return format === "trivy" ? mapTrivyReport(json) : mapGrypeReport(json);
    } catch (error) {
      const problems =
        error instanceof z.ZodError
          ? error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")
          : String(error);
      throw this.#invalid(image, `its ${format} report does not have the expected shape: ${problems}`);
    }
  }

  #run(file: string, args: readonly string[], image: ScannedImage): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile(
        file,
        [...args],
        { timeout: this.#timeoutMs, maxBuffer: MAX_OUTPUT_BYTES, env: this.#env, encoding: "utf8" },
        (error, stdout, stderr) => {
          if (!error) return resolve(stdout);
          const facts = execFailure.safeParse(error);
          const tail = stderr.trim().slice(-STDERR_TAIL);
          const data = { scanner: this.name, image: image.reference };
          if (facts.success && facts.data.killed && facts.data.signal) {
            return reject(
              new ShiplineError({
                code: "SCANNER_TIMED_OUT",
                message: `${this.name} did not finish scanning ${image.reference} within ${this.#timeoutMs} ms and was stopped; raise the scanner's timeout or check that it can reach the registry`,
                data,
                cause: error,
              }),
            );
          }
          const how =
            facts.success && facts.data.code === "ENOENT"
              ? "could not be started (not installed?)"
              : `failed (exit ${facts.success ? String(facts.data.code) : "unknown"})`;
          reject(
            new ShiplineError({
              code: "SCANNER_FAILED",
              message: `${this.name} ${how} scanning ${image.reference}${tail ? `: ${tail}` : ""}; check the scanner command`,
              data,
              cause: error,
            }),
          );
        },
      );
    });
  }

  #invalid(image: ScannedImage, problem: string): ShiplineError {
    return new ShiplineError({
      code: "SCANNER_OUTPUT_INVALID",
      message: `${this.name} scanned ${image.reference} but ${problem}; make the command print a Trivy (--format json) or Grype (-o json) report on stdout`,
      data: { scanner: this.name, image: image.reference },
    });
  }
}

function detectFormat(json: unknown): "trivy" | "grype" | undefined {
  if (z.looseObject({ matches: z.array(z.unknown()) }).safeParse(json).success) return "grype";
  // Trivy leaves `Results` out when it found no target to scan, but always writes its schema version.
  const trivy = z
    .looseObject({ SchemaVersion: z.number() })
    .or(z.looseObject({ Results: z.array(z.unknown()) }));
  return trivy.safeParse(json).success ? "trivy" : undefined;
}
