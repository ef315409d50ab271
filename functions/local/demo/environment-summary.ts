import type { EnvironmentState } from "../../core/ledger/environment-state.js";
import { type TerminalStyle, terminalStyle } from "../cli/terminal-style.js";

/** Options of {@link renderEnvironmentSummary}. */
export interface EnvironmentSummaryOptions {
  /** The ledger's environment states of every app (`LedgerReader.environments`). */
  readonly states: readonly EnvironmentState[];
  /** Environment names in promotion order; others follow by name. */
  readonly order: readonly string[];
  /** @default - no colour */
  readonly style?: TerminalStyle;
}

/**
 * The summary `shipline start` ends with: per app and environment, what runs there (the image last
 * verified), and what is not settled: a change under way or stopped, what the config branch asks
 * for when it differs (and who wrote it), a hold (who, why, and the command that lifts it), the
 * last image that failed there. A ✓ marks an environment that runs its latest change, … one that
 * waits, ✗ one whose latest change failed.
 *
 * @example
 * ```ts
 * out.write(renderEnvironmentSummary({ states, order: ["staging", "production"] }));
 * ```
 */
export function renderEnvironmentSummary(options: EnvironmentSummaryOptions): string {
  const style = options.style ?? terminalStyle({}, {});
  if (options.states.length === 0) return "What runs: nothing yet, no environment has a deployment.\n";
  const rank = (name: string) => {
    const index = options.order.indexOf(name);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  const states = [...options.states].sort(
    (left, right) =>
      left.app.localeCompare(right.app) ||
      rank(left.environment) - rank(right.environment) ||
      left.environment.localeCompare(right.environment),
  );
  const rows = states.map((state) => ({ mark: markOf(state), cells: cellsOf(state) }));
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row.cells[column] ?? "").length)));
  const lines = rows.map(({ mark, cells }) => {
    const [app = "", environment = "", running = "", notes = ""] = cells;
    const painted = mark === "✓" ? style.ok(mark) : mark === "✗" ? style.failed(mark) : style.waiting(mark);
    return `  ${painted} ${app.padEnd(widths[0] ?? 0)}  ${environment.padEnd(widths[1] ?? 0)}  ${running.padEnd(widths[2] ?? 0)}  ${notes}`.trimEnd();
  });
  return `What runs:\n${lines.join("\n")}\n`;
}

function markOf(state: EnvironmentState): string {
  if (state.phase === "failed" || state.phase === "rolled-back") return "✗";
  const settled =
    state.phase === "verified" &&
    state.hold === undefined &&
    state.deployed !== undefined &&
    (state.desired === undefined || sameImage(state.desired, state.deployed));
  return settled ? "✓" : "…";
}

function cellsOf(state: EnvironmentState): string[] {
  const deployed = state.deployed;
  const running = deployed?.tag ?? deployed?.digest?.slice(0, 19) ?? "nothing";
  const notes: string[] = [];
  if (deployed !== undefined) notes.push(`since ${deployed.since.slice(11, 19)}`);
  if (state.phase !== "verified" || deployed?.commit !== state.commit) {
    const what = state.tag ?? state.commit.slice(0, 7);
    notes.push(`${state.phase} ${what}${state.reason === undefined ? "" : `: ${state.reason}`}`);
  }
  const desired = state.desired;
  if (desired !== undefined && (deployed === undefined || !sameImage(desired, deployed))) {
    const image = desired.tag ?? desired.digest?.slice(0, 19) ?? "?";
    notes.push(
      `config asks for ${image}${desired.by === "person" ? ` (by ${desired.author ?? "a person"})` : ""}`,
    );
  }
  if (state.hold !== undefined) {
    notes.push(
      `held by ${state.hold.by}: ${state.hold.reason} · shipline release ${state.app} ${state.environment}`,
    );
  }
  const failure = state.failed?.at(-1);
  if (failure !== undefined && state.phase !== "failed" && state.phase !== "rolled-back") {
    notes.push(`last failed: ${failure.tag ?? failure.commit.slice(0, 7)}: ${failure.reason}`);
  }
  return [state.app, state.environment, running, notes.join(" · ")];
}

function sameImage(
  left: { readonly tag?: string | undefined; readonly digest?: string | undefined },
  right: { readonly tag?: string | undefined; readonly digest?: string | undefined },
): boolean {
  if (left.digest !== undefined && right.digest !== undefined) return left.digest === right.digest;
  return left.tag !== undefined && left.tag === right.tag;
}
