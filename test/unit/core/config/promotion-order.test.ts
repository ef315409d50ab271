import { describe, expect, it } from "vitest";
import {
  findPromotionCycles,
  type PromotionLink,
  promotionOrder,
} from "../../../../functions/core/config/promotion-order.js";

describe("findPromotionCycles", () => {
  it.each<[string, PromotionLink[], string[][]]>([
    [
      "a straight path",
      [{ name: "dev" }, { name: "staging", promoteFrom: "dev" }, { name: "prod", promoteFrom: "staging" }],
      [],
    ],
    ["a link to an unknown environment", [{ name: "prod", promoteFrom: "qa" }], []],
    ["a self link", [{ name: "dev", promoteFrom: "dev" }], [["dev"]]],
    [
      "a three-step cycle, reported once from the first listed environment",
      [
        { name: "a", promoteFrom: "c" },
        { name: "b", promoteFrom: "a" },
        { name: "c", promoteFrom: "b" },
      ],
      [["a", "c", "b"]],
    ],
    [
      "a path feeding into a cycle, which is not part of it",
      [
        { name: "x", promoteFrom: "a" },
        { name: "a", promoteFrom: "b" },
        { name: "b", promoteFrom: "a" },
      ],
      [["a", "b"]],
    ],
    [
      "two separate cycles",
      [
        { name: "a", promoteFrom: "b" },
        { name: "b", promoteFrom: "a" },
        { name: "c", promoteFrom: "d" },
        { name: "d", promoteFrom: "c" },
      ],
      [
        ["a", "b"],
        ["c", "d"],
      ],
    ],
  ])("finds the cycles of %s", (_case, links, expected) => {
    // Act
    const cycles = findPromotionCycles(links);

    // Assert
    expect(cycles).toEqual(expected);
  });
});

describe("promotionOrder", () => {
  it("puts first environments first and each environment after the one it promotes from", () => {
    // Arrange
    const environments: PromotionLink[] = [
      { name: "prod-eu", promoteFrom: "staging" },
      { name: "prod-us", promoteFrom: "prod-eu" },
      { name: "staging", promoteFrom: "dev" },
      { name: "dev" },
      { name: "preview" },
    ];

    // Act
    const order = promotionOrder(environments).map((environment) => environment.name);

    // Assert
    expect(order).toEqual(["dev", "preview", "staging", "prod-eu", "prod-us"]);
  });
});
