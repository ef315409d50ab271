import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import {
  compilePattern,
  INVALID_EVENT_PATTERN,
  MAX_OR_COMBINATIONS,
} from "../../../../functions/core/event-pattern/index.js";

function rejection(pattern: unknown): ShiplineError {
  try {
    compilePattern(pattern);
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(pattern)} to be rejected`);
}

describe("rule 14: invalid patterns are rejected when compiled, with the reason", () => {
  it.each([
    {
      title: "a pattern that is not an object",
      pattern: ["aws.ec2"],
      reason: "Filter is not an object",
      path: "",
    },
    {
      title: "JSON text that does not parse",
      pattern: "{source:",
      reason: "Filter is not valid JSON",
      path: "",
    },
    { title: "an empty pattern", pattern: {}, reason: "Empty objects are not allowed", path: "" },
    {
      title: "an empty nested object",
      pattern: { detail: {} },
      reason: "Empty objects are not allowed",
      path: "detail",
    },
    {
      title: "a bare string value",
      pattern: { source: "aws.ec2" },
      reason: '"source" must be an object or an array',
      path: "source",
    },
    {
      title: "an empty value array",
      pattern: { source: [] },
      reason: "Empty arrays are not allowed",
      path: "source",
    },
    {
      title: "a nested array value",
      pattern: { a: [["x"]] },
      reason: "Match value must be String, number, true, false, or null",
      path: "a",
    },
    {
      title: "an unknown operator",
      pattern: { a: [{ contains: "x" }] },
      reason: "Unrecognized match type contains",
      path: "a",
    },
    {
      title: "two keys in one match expression",
      pattern: { a: [{ prefix: "x", suffix: "y" }] },
      reason: "Only one key allowed in match expression",
      path: "a",
    },
    {
      title: "a numeric prefix",
      pattern: { a: [{ prefix: 5 }] },
      reason: "prefix match pattern must be a string",
      path: "a.prefix",
    },
    {
      title: "an unsupported nested prefix",
      pattern: { a: [{ prefix: { wildcard: "x" } }] },
      reason: "Unsupported prefix pattern",
      path: "a.prefix",
    },
    {
      title: "a numeric equals-ignore-case",
      pattern: { a: [{ "equals-ignore-case": 1 }] },
      reason: "equals-ignore-case match pattern must be a string",
      path: "a.equals-ignore-case",
    },
    {
      title: "two * in a row in a wildcard",
      pattern: { a: [{ wildcard: "a**b" }] },
      reason: "Consecutive wildcard characters at pos 2",
      path: "a.wildcard",
    },
    {
      title: "an unknown escape in a wildcard",
      pattern: { a: [{ wildcard: "a\\b" }] },
      reason: "Invalid escape character at pos 1",
      path: "a.wildcard",
    },
    {
      title: "a trailing backslash in a wildcard",
      pattern: { a: [{ wildcard: "a\\" }] },
      reason: "Invalid escape character",
      path: "a.wildcard",
    },
    {
      title: "anything-but with mixed types",
      pattern: { a: [{ "anything-but": ["x", 1] }] },
      reason: "mixed type is not supported",
      path: "a.anything-but",
    },
    {
      title: "anything-but with null",
      pattern: { a: [{ "anything-but": null }] },
      reason: "must be an array or single string/number value",
      path: "a.anything-but",
    },
    {
      title: "anything-but with an empty prefix",
      pattern: { a: [{ "anything-but": { prefix: "" } }] },
      reason: "Null prefix/suffix not allowed",
      path: "a.anything-but.prefix",
    },
    {
      title: "anything-but with an unknown nested operator",
      pattern: { a: [{ "anything-but": { numeric: [">", 1] } }] },
      reason: "Unsupported anything-but pattern",
      path: "a.anything-but",
    },
    {
      title: "anything-but wildcard with two * in a row",
      pattern: { a: [{ "anything-but": { wildcard: ["ok*", "x**"] } }] },
      reason: "Consecutive wildcard characters",
      path: "a.anything-but.wildcard",
    },
    {
      title: "numeric that is not an array",
      pattern: { a: [{ numeric: 5 }] },
      reason: 'Value of "numeric" must be an array.',
      path: "a.numeric",
    },
    {
      title: "numeric with an unknown operator",
      pattern: { a: [{ numeric: ["!=", 5] }] },
      reason: "Unrecognized numeric range operator: !=",
      path: "a.numeric",
    },
    {
      title: "numeric with a string operand",
      pattern: { a: [{ numeric: [">", "5"] }] },
      reason: "Value of > must be numeric",
      path: "a.numeric",
    },
    {
      title: "numeric with too many terms",
      pattern: { a: [{ numeric: ["=", 5, "<", 6] }] },
      reason: "Too many elements in numeric expression",
      path: "a.numeric",
    },
    {
      title: "numeric with a bad second operator",
      pattern: { a: [{ numeric: [">", 5, ">", 6] }] },
      reason: "Bad numeric range operator",
      path: "a.numeric",
    },
    {
      title: "numeric with bottom above top",
      pattern: { a: [{ numeric: [">", 5, "<", 1] }] },
      reason: "Bottom must be less than top",
      path: "a.numeric",
    },
    {
      title: "exists that is not a boolean",
      pattern: { a: [{ exists: "yes" }] },
      reason: "exists match pattern must be either true or false.",
      path: "a.exists",
    },
    {
      title: "cidr without a prefix length",
      pattern: { a: [{ cidr: "10.0.0.1" }] },
      reason: "Malformed CIDR",
      path: "a.cidr",
    },
    {
      title: "cidr with a prefix length too long",
      pattern: { a: [{ cidr: "10.0.0.0/33" }] },
      reason: "prefix length must be 0..32",
      path: "a.cidr",
    },
    {
      title: "cidr with a bad address",
      pattern: { a: [{ cidr: "10.0.0.256/8" }] },
      reason: "Nonstandard IP address",
      path: "a.cidr",
    },
    {
      title: "$or that is not an array",
      pattern: { $or: { a: ["x"] } },
      reason: "It must be an Array followed with $or",
      path: "$or",
    },
    {
      title: "$or with one entry",
      pattern: { $or: [{ a: ["x"] }] },
      reason: "There must have at least 2 Objects in $or relationship",
      path: "$or",
    },
    {
      title: "$or with a non-object entry",
      pattern: { $or: [{ a: ["x"] }, "b"] },
      reason: "Only JSON object is allowed in array of $or",
      path: "$or[1]",
    },
    {
      title: "$or with an operator as a field name",
      pattern: { $or: [{ numeric: [1] }, { a: ["x"] }] },
      reason: "numeric is Ruler reserved fieldName",
      path: "$or[0].numeric",
    },
  ])("rejects $title", ({ pattern, reason, path }) => {
    // Arrange
    const input: unknown = pattern;

    // Act
    const error = rejection(input);

    // Assert
    expect(error.code).toBe(INVALID_EVENT_PATTERN);
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^Event pattern is not valid\. Reason: /);
    expect(error.message).toContain(reason);
    expect(error.data.path).toBe(path);
  });

  it("rejects a pattern whose $or expansion exceeds the combination limit", () => {
    // Arrange: three nested groups of 11 branches give 1,331 combinations
    const group = Array.from({ length: 11 }, (_, index) => ({ [`f${index}`]: ["x"] }));
    const pattern = { a: { $or: group }, b: { $or: group }, c: { $or: group } };

    // Act
    const error = rejection(pattern);

    // Assert
    expect(error.message).toContain(`1331 combinations, more than the ${MAX_OR_COMBINATIONS} allowed`);
  });

  it("accepts a pattern at exactly the combination limit", () => {
    // Arrange: three groups of 10 branches give 1,000 combinations
    const group = Array.from({ length: 10 }, (_, index) => ({ [`f${index}`]: ["x"] }));
    const pattern = { a: { $or: group }, b: { $or: group }, c: { $or: group } };

    // Act
    const compiled = compilePattern(pattern);

    // Assert
    expect(compiled.combinations).toBe(1000);
  });

  it("accepts every operator in one valid pattern", () => {
    // Arrange
    const pattern = {
      source: ["aws.ecr", { prefix: "ship" }],
      detail: {
        a: [
          { suffix: { "equals-ignore-case": ".PNG" } },
          { "equals-ignore-case": "x" },
          { wildcard: "a\\*b*" },
        ],
        b: [
          { "anything-but": { "equals-ignore-case": ["x", "y"] } },
          { numeric: [">", -1e308, "<=", 1e308] },
        ],
        c: [{ exists: false }, { cidr: "::/0" }, null, true, 1.5, ""],
      },
    };

    // Act
    const compiled = compilePattern(pattern);

    // Assert
    expect(compiled.pattern).toBe(pattern);
    expect(compiled.combinations).toBe(1);
  });
});
