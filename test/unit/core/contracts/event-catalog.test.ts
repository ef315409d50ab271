import { describe, expect, it } from "vitest";
import { DETAIL_TYPES, SCHEMA_VERSION } from "../../../../functions/core/contracts/detail-type.js";
import { EVENT_CATALOG } from "../../../../functions/core/contracts/event-catalog.js";
import { DETAIL_EXAMPLES } from "./detail-examples.js";

describe("EVENT_CATALOG", () => {
  it("has exactly one contract for each of the 21 Shipline detail types", () => {
    // Act
    const cataloged = Object.keys(EVENT_CATALOG);

    // Assert
    expect(DETAIL_TYPES).toHaveLength(21);
    expect(cataloged.sort()).toEqual([...DETAIL_TYPES].sort());
  });

  it.each(DETAIL_TYPES)("parses a valid %s detail and fills in the schema version", (detailType) => {
    // Arrange
    const example = DETAIL_EXAMPLES[detailType];

    // Act
    const parsed = EVENT_CATALOG[detailType].parse(example);

    // Assert
    expect(parsed).toMatchObject(example);
    expect(parsed.schemaVersion).toBe(SCHEMA_VERSION);
  });

  it.each(DETAIL_TYPES)("keeps an explicit schema version of a %s detail", (detailType) => {
    // Arrange
    const example = { ...DETAIL_EXAMPLES[detailType], schemaVersion: 2 };

    // Act
    const parsed = EVENT_CATALOG[detailType].parse(example);

    // Assert
    expect(parsed.schemaVersion).toBe(2);
  });
});
