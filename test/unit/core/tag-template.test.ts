import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../functions/core/errors/shipline-error.js";
import {
  parseTagBack,
  renderTag,
  type TagValues,
  validateTagTemplate,
} from "../../../functions/core/tag-template.js";

const SHA = "0123456789abcdef0123456789abcdef01234567";

function tagError(run: () => unknown): ShiplineError {
  try {
    run();
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error("expected a ShiplineError");
}

describe("renderTag", () => {
  it.each<[string, TagValues, string]>([
    ["{sha}", { sha: SHA }, SHA],
    ["{sha7}", { sha: SHA }, "0123456"],
    ["{version}-{sha7}", { sha: SHA, version: "1.4.0" }, "1.4.0-0123456"],
    ["v{version}-{sha7}", { sha: SHA, version: "1.4.0+exp.sha.5114f85" }, "v1.4.0_exp.sha.5114f85-0123456"],
    ["{branch}-{sha7}", { sha: SHA, branch: "refs/heads/feature/Login#2" }, "feature-Login-2-0123456"],
    ["{branch}.{build}.{sha7}", { sha: SHA, branch: "-main", build: 42 }, "main.42.0123456"],
  ])("renders %s as expected", (template, values, expected) => {
    // Act
    const tag = renderTag(template, values);

    // Assert
    expect(tag).toBe(expected);
  });

  it("cuts a long branch so that the tag stays within 128 characters", () => {
    // Arrange
    const branch = `feature/${"x".repeat(200)}`;

    // Act
    const tag = renderTag("{branch}-{sha}", { sha: SHA, branch });

    // Assert
    expect(tag).toBe(`feature-${"x".repeat(55)}-${SHA}`);
    expect(tag.length).toBeLessThanOrEqual(128);
  });

  it.each<[string, string, TagValues, string]>([
    [
      "a template without a commit",
      "{version}",
      { sha: SHA, version: "1.0.0" },
      "does not contain {sha} or {sha7}",
    ],
    ["an unknown placeholder", "{sha7}-{date}", { sha: SHA }, "{date} is not a known placeholder"],
    ["a short commit", "{sha}", { sha: "0123456" }, "'0123456' is not a full commit sha"],
    ["a missing version", "{version}-{sha7}", { sha: SHA }, "uses {version} but no version was found"],
    [
      "a version with a bad character",
      "{version}-{sha7}",
      { sha: SHA, version: "1.0 beta" },
      "is not a valid OCI tag",
    ],
    ["a version starting with a dot", "{version}-{sha7}", { sha: SHA, version: ".1" }, "'.1-0123456'"],
    ["a missing branch", "{branch}-{sha7}", { sha: SHA }, "uses {branch} but no branch was given"],
    [
      "a build number that is not digits",
      "{sha7}-{build}",
      { sha: SHA, build: "b7" },
      "the build number is 'b7'",
    ],
    [
      "a tag over 128 characters",
      "{version}-{sha}",
      { sha: SHA, version: "1".repeat(100) },
      "is not a valid OCI tag",
    ],
  ])("refuses %s with TAG_INVALID", (_case, template, values, expected) => {
    // Act
    const error = tagError(() => renderTag(template, values));

    // Assert
    expect(error.code).toBe("TAG_INVALID");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(expected);
  });
});

describe("validateTagTemplate", () => {
  it.each([
    "{sha}",
    "{sha7}",
    "{version}-{sha7}",
    "{branch}-{build}-{sha7}",
    "release_{sha}",
    "v{version}.{sha7}",
  ])("accepts %s", (template) => {
    // Act
    const problems = validateTagTemplate(template);

    // Assert
    expect(problems).toEqual([]);
  });

  it.each<[string, string]>([
    ["latest", "'latest' is a mutable tag"],
    ["LATEST", "'latest' is a mutable tag"],
    ["{version}", "does not contain {sha} or {sha7}"],
    ["", "is empty"],
    ["{sha7}-{when}", "{when} is not a known placeholder"],
    ["{sha7}+{version}", "literal text '+' has characters a tag cannot hold"],
    ["{sha7}-{sha7}", "{sha7} appears twice"],
    ["-{sha7}", "starts with '-'"],
    ["{sha7", "unmatched brace"],
    [`${"x".repeat(90)}{sha}`, "renders at least 130 characters"],
  ])("refuses %j", (template, expected) => {
    // Act
    const messages = validateTagTemplate(template).map((problem) => `${problem.message}; ${problem.fix}`);

    // Assert
    expect(messages.join("\n")).toContain(expected);
  });
});

describe("parseTagBack", () => {
  it.each<[string, string, ReturnType<typeof parseTagBack>]>([
    ["{sha7}", "0123456", { sha7: "0123456" }],
    ["{sha}", SHA, { sha: SHA, sha7: "0123456" }],
    ["{version}-{sha7}", "1.4.0-0123456", { version: "1.4.0", sha7: "0123456" }],
    ["{version}-{sha7}", "1.4.0-rc-1-0123456", { version: "1.4.0-rc-1", sha7: "0123456" }],
    [
      "{branch}-{build}-{sha7}",
      "feature-x-12-0123456",
      { branch: "feature-x", build: "12", sha7: "0123456" },
    ],
    ["{version}{sha7}", "2.0.0abcdef1", { version: "2.0.0", sha7: "abcdef1" }],
  ])("reads %s back from %s", (template, tag, expected) => {
    // Act
    const parts = parseTagBack(template, tag);

    // Assert
    expect(parts).toEqual(expected);
  });

  it("recovers exactly what renderTag put into a tag", () => {
    // Arrange
    const template = "{version}-{branch}-{sha}";
    const tag = renderTag(template, { sha: SHA, version: "3.1.0", branch: "main" });

    // Act
    const parts = parseTagBack(template, tag);

    // Assert
    expect(parts).toEqual({ version: "3.1.0", branch: "main", sha: SHA, sha7: "0123456" });
  });

  it.each<[string, string, string]>([
    ["a tag that does not fit", "{version}-{sha7}", "1.4.0-xyz"],
    ["a tag that fits in two ways", "{branch}-{version}-{sha7}", "a-b-c-0123456"],
    ["a {sha} and {sha7} that disagree", "{sha7}-{sha}", `abcdef1-${SHA}`],
    ["a template with an unknown placeholder", "{when}-{sha7}", "x-0123456"],
    ["a value that is not an OCI tag", "{sha7}", "-0123456"],
  ])("returns undefined for %s", (_case, template, tag) => {
    // Act
    const parts = parseTagBack(template, tag);

    // Assert
    expect(parts).toBeUndefined();
  });
});
