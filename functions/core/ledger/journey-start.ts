import { DetailType } from "../contracts/detail-type.js";
import type { LedgerHop } from "./ledger-hop.js";

/**
 * When a change started, for lead time: the source commit's own time as its git host reported it
 * (`Commit Pushed`), else the push, else the journey's first hop. Undefined for no hops.
 *
 * @example
 * ```ts
 * const start = journeyStart(await reader.journey("demo", commit));
 * ```
 */
export function journeyStart(hops: readonly LedgerHop[]): string | undefined {
  const pushes = hops.filter((hop) => hop.detailType === DetailType.CommitPushed);
  const committed = pushes.flatMap((hop) => (hop.committedAt === undefined ? [] : [hop.committedAt]));
  const candidates =
    committed.length > 0
      ? committed
      : pushes.length > 0
        ? pushes.map((hop) => hop.at)
        : hops.map((hop) => hop.at);
  return candidates.reduce<string | undefined>(
    (earliest, at) => (earliest === undefined || Date.parse(at) < Date.parse(earliest) ? at : earliest),
    undefined,
  );
}
