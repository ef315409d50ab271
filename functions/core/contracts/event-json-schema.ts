import * as z from "zod";
import { type DetailTypeName, SHIPLINE_SOURCE } from "./detail-type.js";
import { EVENT_CATALOG } from "./event-catalog.js";
import { envelopeOf } from "./event-envelope.js";

/** A JSON Schema document, as `z.toJSONSchema` writes it. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/**
 * The name of a detail type's schema in Shipline's EventBridge schema registry, in the
 * `<source>@<DetailType>` form of EventBridge's discovered schemas.
 *
 * @example
 * ```ts
 * eventSchemaName("Commit Pushed"); // "shipline@CommitPushed"
 * ```
 */
export function eventSchemaName(detailType: DetailTypeName): string {
  return `${SHIPLINE_SOURCE}@${detailType.replaceAll(" ", "")}`;
}

/**
 * The JSON Schema (draft 4, as EventBridge's `JSONSchemaDraft4` schemas are written) of a whole
 * Shipline event of one detail type: the EventBridge envelope, `source` and `detail-type` fixed,
 * and `detail` as its contract in `EVENT_CATALOG` accepts it from a publisher (fields with a
 * default, such as `schemaVersion`, may be left out). Generated from the zod contract, so the
 * registry cannot drift from what the steps parse. The root carries EventBridge's
 * `x-amazon-events-source` and `x-amazon-events-detail-type` keys.
 *
 * @example
 * ```ts
 * const content = JSON.stringify(eventJsonSchema("Image Pushed"));
 * ```
 */
export function eventJsonSchema(detailType: DetailTypeName): JsonSchema {
  const event = envelopeOf(EVENT_CATALOG[detailType]).extend({
    source: z.literal(SHIPLINE_SOURCE),
    "detail-type": z.literal(detailType),
  });
  const schema = z.toJSONSchema(event, { target: "draft-4", io: "input" });
  return {
    ...schema,
    title: eventSchemaName(detailType),
    description: `A Shipline '${detailType}' event on the shipline bus`,
    "x-amazon-events-source": SHIPLINE_SOURCE,
    "x-amazon-events-detail-type": detailType,
  };
}
