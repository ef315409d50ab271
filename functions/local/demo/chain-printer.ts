import type { Writable } from "node:stream";
import * as z from "zod";
import type { EventEnvelope } from "../../core/contracts/event-envelope.js";
import { type TerminalStyle, terminalStyle } from "../cli/terminal-style.js";
import { describeEvent, type EventOutcome } from "./describe-event.js";
import { journeyOf } from "./journey-identity.js";

const MARKS: Readonly<Record<EventOutcome, string>> = {
  progress: "·",
  success: "✓",
  failure: "✗",
  waiting: "…",
};

/** The narrowest journey column: `app@sha7` of an app of eight characters. */
export const MIN_JOURNEY_WIDTH = 16;

/** The widest journey column; longer names are shortened in the middle of the app's name. */
export const MAX_JOURNEY_WIDTH = 40;

const EVENT_WIDTH = 22;

/** A `Build Started` detail with a tag template (and perhaps already a tag). */
const templatedBuild = z.looseObject({
  app: z.string(),
  commit: z.string(),
  imageTag: z.string().optional(),
  imageTagTemplate: z.string(),
});

/** Options of {@link ChainPrinter}. */
export interface ChainPrinterOptions {
  readonly out: Writable;
  /** Colours of the marks. @default - no colour */
  readonly style?: TerminalStyle;
  /** Width of the journey column (see {@link journeyWidth}). @default MIN_JOURNEY_WIDTH */
  readonly journeyWidth?: number;
  /** Repositories whose pushes are no app's journey (the config repository): not printed. */
  readonly quietRepositories?: ReadonlySet<string>;
  /** The app of an image repository, for ECR events. @default - the repository's own name */
  readonly appOfImageRepository?: (repository: string) => string | undefined;
  /**
   * Completes a tag template (`{version}-681fa6f`) that `Build Started` carries when only the build
   * can read the version; the template is printed when it answers undefined or fails.
   */
  readonly renderTag?: (app: string, commit: string, template: string) => Promise<string | undefined>;
  /** The clock durations are measured with. @default Date.now */
  readonly now?: () => number;
}

/** A journey as the printer knows it: its label and when its events were seen. */
interface SeenJourney {
  readonly label: string;
  readonly first: number;
  last: number;
}

/**
 * Prints the chain live, one line per event: the time, the journey (`app@sha7`), the event, the
 * time since the journey's previous event and since its first one (each journey timed on its own),
 * and a summary. Image and build events of AWS services join their app's journey; pushes of the
 * config repository are not printed; `Build Started` shows the rendered tag. Lines keep the order
 * of the events even when a tag takes a moment to render.
 *
 * @example
 * ```ts
 * const printer = new ChainPrinter({ out: process.stdout, journeyWidth: journeyWidth(["demo"]) });
 * bus.addRule(everything, async (event) => printer.print(event));
 * ```
 */
export class ChainPrinter {
  readonly #options: ChainPrinterOptions;
  readonly #style: TerminalStyle;
  readonly #width: number;
  readonly #journeys = new Map<string, SeenJourney>();
  readonly #latestOfApp = new Map<string, string>();
  #queue: Promise<void> = Promise.resolve();

  constructor(options: ChainPrinterOptions) {
    this.#options = options;
    this.#style = options.style ?? terminalStyle({}, {});
    this.#width = options.journeyWidth ?? MIN_JOURNEY_WIDTH;
  }

  /** The column headings, aligned with the lines. */
  header(): string {
    return `${"time".padEnd(8)}   ${"journey".padEnd(this.#width)} ${"event".padEnd(EVENT_WIDTH)} ${"step".padStart(7)} ${"total".padStart(7)}  details\n`;
  }

  /** Prints one event (events that say nothing to a reader are skipped). */
  print(event: EventEnvelope): void {
    const seenAt = (this.#options.now ?? Date.now)();
    this.#queue = this.#queue.then(() => this.#print(event, seenAt));
  }

  /** Resolves once every event given so far is printed. */
  idle(): Promise<void> {
    return this.#queue;
  }

  async #print(event: EventEnvelope, seenAt: number): Promise<void> {
    const line = describeEvent(event);
    if (!line) return;
    const identity = journeyOf(event);
    if (identity.repository !== undefined && this.#options.quietRepositories?.has(identity.repository))
      return;
    const app =
      identity.app ??
      (identity.imageRepository === undefined
        ? undefined
        : (this.#options.appOfImageRepository?.(identity.imageRepository) ?? identity.imageRepository));
    const key = identity.key ?? (app === undefined ? undefined : this.#latestOfApp.get(app)) ?? line.journey;
    const known = this.#journeys.get(key);
    const journey = known ?? { label: identity.label ?? line.journey, first: seenAt, last: seenAt };
    if (known === undefined) this.#journeys.set(key, journey);
    if (identity.app !== undefined && identity.key !== undefined) this.#latestOfApp.set(identity.app, key);
    const step = `+${((seenAt - journey.last) / 1000).toFixed(1)}s`;
    const total = `${((seenAt - journey.first) / 1000).toFixed(1)}s`;
    journey.last = Math.max(journey.last, seenAt);
    const summary = await this.#summaryOf(event, line.summary);
    const clock = new Date(seenAt).toISOString().slice(11, 19);
    const mark = paint(this.#style, line.outcome, MARKS[line.outcome]);
    this.#options.out.write(
      `${clock} ${mark} ${fitLabel(journey.label, this.#width)} ${line.what.padEnd(EVENT_WIDTH)} ${step.padStart(7)} ${total.padStart(7)}  ${summary}\n`,
    );
  }

  /** `Build Started` with only a tag template: the rendered tag, when it can be had. */
  async #summaryOf(event: EventEnvelope, summary: string): Promise<string> {
    const render = this.#options.renderTag;
    if (render === undefined || event["detail-type"] !== "Build Started") return summary;
    const parsed = templatedBuild.safeParse(event.detail);
    if (!parsed.success || parsed.data.imageTag !== undefined) return summary;
    const { app, commit, imageTagTemplate } = parsed.data;
    try {
      return (await render(app, commit, imageTagTemplate)) ?? summary;
    } catch {
      return summary;
    }
  }
}

/**
 * The journey column's width for these apps: `app@sha7` of the longest, between
 * {@link MIN_JOURNEY_WIDTH} and {@link MAX_JOURNEY_WIDTH}.
 *
 * @example
 * ```ts
 * journeyWidth(["demo", "payments-reconciliation"]); // 31
 * ```
 */
export function journeyWidth(apps: readonly string[]): number {
  const longest = Math.max(0, ...apps.map((app) => app.length + "@0000000".length));
  return Math.min(MAX_JOURNEY_WIDTH, Math.max(MIN_JOURNEY_WIDTH, longest));
}

/** A label padded to the width, or shortened in its app part (`payments-rec…@681fa6f`) when longer. */
function fitLabel(label: string, width: number): string {
  if (label.length <= width) return label.padEnd(width);
  const at = label.lastIndexOf("@");
  const suffix = at === -1 ? "" : label.slice(at);
  const head = at === -1 ? label : label.slice(0, at);
  const room = Math.max(1, width - suffix.length - 1);
  return `${head.slice(0, room)}…${suffix}`.slice(0, width).padEnd(width);
}

function paint(style: TerminalStyle, outcome: EventOutcome, mark: string): string {
  switch (outcome) {
    case "success":
      return style.ok(mark);
    case "failure":
      return style.failed(mark);
    case "waiting":
      return style.waiting(mark);
    default:
      return mark;
  }
}
