import { ShiplineError } from "../errors/shipline-error.js";
import { applyEdit } from "../manifest/apply-edits.js";
import type { ManifestChange } from "../manifest/edit-result.js";
import { type RevertSource, revertFileEdit } from "./plan-revert.js";
import { readTargetImage, targetScalarPaths } from "./read-target-image.js";
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
 * `chartVersion` also sets that scalar (in its own file or another) to the tag of the image its
 * file now holds, in the same plan: both files change, or the intent fails and neither does.
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
      // The chart version follows the image the file now holds (a revert's too), in the same commit.
      const chart = intent.target.chartVersion;
      if (chart) {
        const path = chart.file ?? file;
        try {
          const version =
            intent.kind === "update"
              ? intent.image.tag
              : readTargetImage({ target: intent.target, app: intent.app, text: result.text })?.tag;
          const text = written.get(path) ?? read(path);
          if (version)
            written.set(
              path,
              applyEdit({ text, edit: { kind: "chart-version", path: chart.path, version } }).text,
            );
        } catch (error) {
          // A revert goes through even when the chart version cannot follow (the image it restores
          // predates the chart, or its file is gone): taking the failed image out comes first.
          if (intent.kind === "update") throw error;
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
