import { ShiplineError } from "../errors/shipline-error.js";
import type { DetailTypeName } from "./detail-type.js";
import { type DetailOf, EVENT_CATALOG } from "./event-catalog.js";
import { formatIssues } from "./format-issues.js";

/**
 * Parses a detail against its contract. Throws a permanent `EVENT_INVALID` error naming every bad
 * field.
 *
 * @example
 * ```ts
 * const pushed = parseDetail(DetailType.ImagePushed, event.detail);
 * ```
 */
export function parseDetail<T extends DetailTypeName>(detailType: T, detail: unknown): DetailOf<T> {
  const schema = EVENT_CATALOG[detailType];
  const result = schema.safeParse(detail);
  if (!result.success) {
    const problems = formatIssues(result.error.issues, "detail");
    throw new ShiplineError({
      code: "EVENT_INVALID",
      message: `${detailType} event does not match its contract: ${problems.join("; ")}`,
      data: { detailType, problems },
      retryable: false,
    });
  }
  return result.data as DetailOf<T>;
}
