import { ShiplineError } from "../errors/shipline-error.js";
import { applyEdit } from "../manifest/apply-edits.js";
import type { ManifestChange } from "../manifest/edit-result.js";
import { type RevertSource, revertFileEdit } from "./plan-revert.js";
import { targetScalarPaths } from "./read-target-image.js";
import { targetEdit } from "./target-edit.js";
import type { WriteIntent } from "./write-intent.js";

/** Options of {@link planBatch}. */
export interface PlanBatchOptions {
  /** The intents, in queue order; later intents see the edits of earlier ones. */
  readonly intents: readonly WriteIntent[];
  /** The text at head of every target file (`undefined`: no such file). */
  readonly files: ReadonlyMap<string, string | undefined>;
  /** For each revert intent (by intent id): its target file in the reverted commit and its parent. */
  readonly reverts?: ReadonlyMap<string, RevertSource>;
}

/** What the batch does for one intent. */
export type IntentPlan =
  | {
      readonly intent: WriteIntent;
      /** `changed`: its edit is in the commit; `unchanged`: the file already said so (no commit needed for it). */
      readonly status: "changed" | "unchanged";
      readonly file: string;
      readonly changes: readonly ManifestChange[];
    }
  | {
      readonly intent: WriteIntent;
      /** Its edit cannot be made (permanent): the other intents go on without it. */
      readonly status: "failed";
      readonly file: string;
      readonly error: ShiplineError;
    };

/** A file the commit writes. */
export interface PlannedFile {
  readonly path: string;
  /** The new text. */
  readonly content: string;
}

/** The outcome of {@link planBatch}. */
export interface BatchPlan {
  /** One entry per intent, in order. */
  readonly intents: readonly IntentPlan[];
  /** The files whose text changed, in first-touched order; empty means "no commit". */
  readonly files: readonly PlannedFile[];
}

/**
 * Plans one commit for a batch of write intents, as a pure function of the files at head: intents
 * are applied in order, each on the text the previous ones left (so two updates of the same app
 * end with the later image). An intent whose edit changes nothing is `unchanged`; one that cannot
 * be applied (a path not in the file, an invalid value, a revert conflict: any permanent
 * ShiplineError) is `failed` and left out. Any other error is thrown. A target with a
 * `chartVersion` also sets that scalar (in its own file or another), in the same plan: an update to
 * its image's tag, a revert back to the value the reverted commit replaced (left alone when that
 * commit did not change it). Both files change, or the intent fails and neither does.
 *
 * @example
 * ```ts
 * const plan = planBatch({ intents, files: new Map([["envs/dev/values.yaml", text]]) });
 * if (plan.files.length === 0) // no commit
 * ```
 */
export function planBatch(options: PlanBatchOptions): BatchPlan {
  const texts = new Map(options.files);
  const touched = new Set<string>();
  const plans = options.intents.map((intent): IntentPlan => {
    const file = intent.target.file;
    const read = (path: string) => {
      const text = texts.get(path);
      if (text !== undefined) return text;
      throw new ShiplineError({
        code: "WRITER_FILE_NOT_FOUND",
        message: `${path} is not in the config repository; create it, or fix the deploy target of ${intent.app} in ${intent.environment}`,
        data: { file: path, app: intent.app, environment: intent.environment },
      });
    };
    try {
      const result = applyIntent(intent, read(file), options.reverts);
      const written = new Map([[file, result.text]]);
      // An update's chart version is its image's tag; a revert puts back the chart version the
      // reverted commit replaced (never one guessed from the restored image: no build may have pushed it).
      const chart = intent.target.chartVersion;
      if (chart) {
        const path = chart.file ?? file;
        const source = options.reverts?.get(intent.intentId);
        if (intent.kind === "update") {
          const edit = { kind: "chart-version" as const, path: chart.path, version: intent.image.tag };
          written.set(path, applyEdit({ text: written.get(path) ?? read(path), edit }).text);
        } else {
          // A chart file gone since does not hold back taking the failed image out.
          const text = written.get(path) ?? texts.get(path);
          if (source && text !== undefined)
            written.set(path, revertChartVersion(source, path, chart.path, text));
        }
      }
      if ([...written].every(([path, text]) => text === texts.get(path)))
        return { intent, status: "unchanged", file, changes: [] };
      for (const [path, text] of written) {
        texts.set(path, text);
        touched.add(path);
      }
      return { intent, status: "changed", file, changes: result.changes };
    } catch (error) {
      if (error instanceof ShiplineError && !error.retryable)
        return { intent, status: "failed", file, error };
      throw error;
    }
  });
  const files = [...touched]
    .filter((path) => texts.get(path) !== options.files.get(path))
    .map((path) => ({ path, content: texts.get(path) ?? "" }));
  return { intents: plans, files };
}

function applyIntent(
  intent: WriteIntent,
  current: string,
  reverts: ReadonlyMap<string, RevertSource> | undefined,
): { text: string; changes: readonly ManifestChange[] } {
  if (intent.kind === "update") {
    return applyEdit({
      text: current,
      edit: targetEdit({ target: intent.target, app: intent.app, image: intent.image }),
    });
  }
  const source = reverts?.get(intent.intentId);
  if (source === undefined) {
    throw new ShiplineError({
      code: "REVERT_SOURCE_MISSING",
      message: `no versions of ${intent.target.file} were read for the revert of ${intent.revertOf ?? "?"}; read them before planning`,
      data: { intentId: intent.intentId },
      retryable: true,
    });
  }
  // Only this intent's target: the reverted commit may have changed other apps' values in the file.
  const only =
    source.after === undefined
      ? undefined
      : targetScalarPaths({ target: intent.target, app: intent.app, text: source.after });
  return revertFileEdit({ source, current, ...(only === undefined || only.size === 0 ? {} : { only }) });
}

/** Undoes the reverted commit's edit of the chart version scalar alone; no edit of it, no change. */
function revertChartVersion(source: RevertSource, file: string, path: string, current: string): string {
  const own = file === source.file;
  const before = own ? source.before : source.chart?.before;
  const after = own ? source.after : source.chart?.after;
  if (before === undefined || after === undefined || before === after) return current;
  let only: Set<string>;
  try {
    const probe = { kind: "chart-version" as const, path, version: "0.0.0-shipline-probe" };
    only = new Set(
      applyEdit({ text: after, edit: probe }).changes.map((c) => `${c.documentIndex}#${c.path}`),
    );
  } catch {
    return current; // the reverted commit's file holds no chart version: it wrote none
  }
  try {
    return revertFileEdit({
      source: { configCommit: source.configCommit, file, before, after },
      current,
      only,
    }).text;
  } catch (error) {
    if (error instanceof ShiplineError && error.code === "REVERT_NOTHING") return current;
    throw error;
  }
}
