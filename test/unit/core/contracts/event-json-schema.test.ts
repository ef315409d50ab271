import { describe, expect, it } from "vitest";
import { DETAIL_TYPES, type DetailTypeName } from "../../../../functions/core/contracts/detail-type.js";
import { EVENT_CATALOG } from "../../../../functions/core/contracts/event-catalog.js";
import { eventJsonSchema, eventSchemaName } from "../../../../functions/core/contracts/event-json-schema.js";
import { DETAIL_EXAMPLES } from "./detail-examples.js";
import { draft4Problems } from "./draft4-check.js";

/** A whole event of Shipline's bus around a detail, as EventBridge delivers it. */
function eventOf(detailType: DetailTypeName, detail: unknown): Record<string, unknown> {
  return {
    version: "0",
    id: "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": detailType,
    source: "shipline",
    account: "123456789012",
    time: "2026-03-01T12:00:00Z",
    region: "eu-west-1",
    resources: [],
    detail,
  };
}

describe("eventJsonSchema", () => {
  it.each(DETAIL_TYPES)(
    "accepts the example '%s' event, as published and as its contract parses it",
    (detailType) => {
      // Arrange
      const schema = eventJsonSchema(detailType);
      const example = DETAIL_EXAMPLES[detailType];
      const parsed = JSON.parse(JSON.stringify(EVENT_CATALOG[detailType].parse(example)));

      // Act
      const published = draft4Problems(schema, eventOf(detailType, example));
      const delivered = draft4Problems(schema, eventOf(detailType, parsed));

      // Assert
      expect(published).toEqual([]);
      expect(delivered).toEqual([]);
    },
  );

  it.each(DETAIL_TYPES)(
    "refuses a '%s' event without its detail's fields, or under another detail type",
    (detailType) => {
      // Arrange
      const schema = eventJsonSchema(detailType);
      const other = DETAIL_TYPES.find((candidate) => candidate !== detailType) ?? detailType;

      // Act
      const empty = draft4Problems(schema, eventOf(detailType, {}));
      const mislabelled = draft4Problems(schema, eventOf(other, DETAIL_EXAMPLES[detailType]));

      // Assert
      expect(empty.length, JSON.stringify(empty)).toBeGreaterThan(0);
      expect(mislabelled).toEqual([expect.stringMatching(/^detail-type: /)]);
    },
  );

  it("is a draft 4 schema named and tagged as EventBridge's discovered schemas are", () => {
    // Act
    const schema = eventJsonSchema("Commit Pushed");

    // Assert
    expect(schema).toMatchObject({
      $schema: "http://json-schema.org/draft-04/schema#",
      type: "object",
      title: "shipline@CommitPushed",
      "x-amazon-events-source": "shipline",
      "x-amazon-events-detail-type": "Commit Pushed",
    });
    expect(JSON.stringify(schema)).not.toMatch(/"const"|"\$defs"/);
    expect(DETAIL_TYPES.map(eventSchemaName)).toContain("shipline@PullRequestOpened");
  });
});
