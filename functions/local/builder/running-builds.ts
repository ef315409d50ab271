import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import * as z from "zod";
import {
  type CodeBuildBuildStateChangeEvent,
  codeBuildBuildStateChangeEvent,
} from "../../core/contracts/aws/codebuild-build-state-change.js";

/** A build the local builder started and has not finished, as it keeps it across restarts. */
export const runningBuild = z.object({
  input: z.object({
    projectName: z.string().min(1),
    sourceVersion: z.string().min(1),
    environment: z.record(z.string(), z.string()),
    idempotencyToken: z.string().min(1),
  }),
  uuid: z.string().min(1),
  buildId: z.string().min(1),
  buildNumber: z.number().int().nonnegative(),
  logFile: z.string().min(1),
  logsUrl: z.string().min(1),
  /**
   * The build's last state change (`SUCCEEDED` or `FAILED`), kept before it is delivered: a build
   * that has one is over, and a restart delivers it again instead of running the build again.
   */
  lastStateChange: codeBuildBuildStateChangeEvent.optional(),
});

/** A {@link runningBuild}. */
export type RunningBuild = z.infer<typeof runningBuild>;

const journal = z.array(runningBuild);

/**
 * The builds the local builder is running, kept in one JSON file in its data directory (written
 * atomically, one change at a time), so that a restart of the runtime runs the unfinished ones
 * again, as CodeBuild would have finished them, and delivers again the last state change of those
 * that ended while it was being delivered.
 *
 * @example
 * ```ts
 * const builds = new RunningBuilds(path.join(dataDir, "running-builds.json"));
 * await builds.add(record);
 * await builds.remove(record.buildId);
 * ```
 */
export class RunningBuilds {
  readonly #file: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(file: string) {
    this.#file = file;
  }

  /** The unfinished builds (a journal that does not parse counts as none, with a line on stderr). */
  list(): Promise<RunningBuild[]> {
    return this.#serial(() => this.#read());
  }

  /** Records a build as running. */
  add(build: RunningBuild): Promise<void> {
    return this.#serial(async () => {
      const builds = (await this.#read()).filter((known) => known.buildId !== build.buildId);
      await this.#write([...builds, build]);
    });
  }

  /** Keeps a build's last state change, before it is delivered (see {@link RunningBuild.lastStateChange}). */
  finish(buildId: string, lastStateChange: CodeBuildBuildStateChangeEvent): Promise<void> {
    return this.#serial(async () => {
      const builds = await this.#read();
      if (builds.some((known) => known.buildId === buildId)) {
        await this.#write(
          builds.map((known) => (known.buildId === buildId ? { ...known, lastStateChange } : known)),
        );
      }
    });
  }

  /** Records a build as finished and its last state change as delivered. */
  remove(buildId: string): Promise<void> {
    return this.#serial(async () => {
      const builds = await this.#read();
      if (builds.some((known) => known.buildId === buildId)) {
        await this.#write(builds.filter((known) => known.buildId !== buildId));
      }
    });
  }

  async #read(): Promise<RunningBuild[]> {
    const text = await readFile(this.#file, "utf8").catch(() => "[]");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const parsed = journal.safeParse(value);
    if (parsed.success) return parsed.data;
    process.stderr.write(`the builder's journal ${this.#file} does not parse; no build is resumed\n`);
    return [];
  }

  async #write(builds: readonly RunningBuild[]): Promise<void> {
    await mkdir(path.dirname(this.#file), { recursive: true });
    const temporary = `${this.#file}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify(builds), { mode: 0o600 });
    await rename(temporary, this.#file);
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
