import { describe, expect, it } from "vitest";
import { compilePattern, matches, testEventPattern } from "../../../../functions/core/event-pattern/index.js";

interface Case {
  readonly title: string;
  readonly pattern: Record<string, unknown>;
  readonly event: Record<string, unknown>;
  readonly expected: boolean;
}

function check(cases: readonly Case[]): void {
  it.each(cases)("$title", ({ pattern, event, expected }) => {
    // Arrange
    const compiled = compilePattern(pattern);

    // Act
    const result = matches(compiled, event);

    // Assert
    expect(result).toBe(expected);
  });
}

const ec2 = {
  version: "0",
  id: "ddddd4-aaaa-7777-4444-345dd43cc333",
  "detail-type": "EC2 Instance State-change Notification",
  source: "aws.ec2",
  account: "012345679012",
  time: "2017-10-02T16:24:49Z",
  region: "us-east-1",
  resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
  detail: { "c-count": 5, "x-limit": 301.8, "source-ip": "10.0.0.33", state: "running" },
};

describe("rule 1: a pattern is an object of arrays, ANDed across fields and ORed within an array", () => {
  check([
    {
      title: "matches when every named field matches",
      pattern: { source: ["aws.ec2"], detail: { state: ["running"] } },
      event: ec2,
      expected: true,
    },
    {
      title: "ignores fields the pattern does not name",
      pattern: { region: ["us-east-1"] },
      event: ec2,
      expected: true,
    },
    {
      title: "matches when any value of the array matches",
      pattern: { detail: { state: ["pending", "running"] } },
      event: ec2,
      expected: true,
    },
    {
      title: "fails when one of the ANDed fields fails",
      pattern: { source: ["aws.ec2"], region: ["eu-west-1"] },
      event: ec2,
      expected: false,
    },
    {
      title: "fails when a named field is missing from the event",
      pattern: { detail: { missing: ["x"] } },
      event: ec2,
      expected: false,
    },
    {
      title: "fails when the field exists at another path",
      pattern: { state: ["running"] },
      event: ec2,
      expected: false,
    },
  ]);
});

describe("rule 2: exact values are case-sensitive and type-strict", () => {
  check([
    { title: "matches the same string", pattern: { a: ["Alice"] }, event: { a: "Alice" }, expected: true },
    {
      title: "does not match another case",
      pattern: { a: ["alice"] },
      event: { a: "Alice" },
      expected: false,
    },
    {
      title: 'does not match the string "5" against the number 5',
      pattern: { a: ["5"] },
      event: { a: 5 },
      expected: false,
    },
    {
      title: 'does not match the number 5 against the string "5"',
      pattern: { a: [5] },
      event: { a: "5" },
      expected: false,
    },
    { title: "matches numbers by value", pattern: { a: [301.8] }, event: { a: 301.8 }, expected: true },
    { title: "matches true only against true", pattern: { a: [true] }, event: { a: true }, expected: true },
    {
      title: 'does not match true against the string "true"',
      pattern: { a: [true] },
      event: { a: "true" },
      expected: false,
    },
    { title: "matches false only against false", pattern: { a: [false] }, event: { a: 0 }, expected: false },
  ]);
});

describe("rule 3: null and the empty string are different", () => {
  check([
    { title: "[null] matches JSON null", pattern: { a: [null] }, event: { a: null }, expected: true },
    {
      title: "[null] does not match the empty string",
      pattern: { a: [null] },
      event: { a: "" },
      expected: false,
    },
    { title: '[""] matches the empty string', pattern: { a: [""] }, event: { a: "" }, expected: true },
    { title: '[""] does not match null', pattern: { a: [""] }, event: { a: null }, expected: false },
    {
      title: "[null] does not match a missing field",
      pattern: { a: [null] },
      event: { b: 1 },
      expected: false,
    },
  ]);
});

describe("rule 4: arrays in events match when any element matches", () => {
  check([
    {
      title: "matches when one element equals a pattern value",
      pattern: { resources: ["r2", "r9"] },
      event: { resources: ["r1", "r2"] },
      expected: true,
    },
    {
      title: "fails when no element matches",
      pattern: { resources: ["r9"] },
      event: { resources: ["r1", "r2"] },
      expected: false,
    },
    {
      title: "an empty array matches no value",
      pattern: { resources: ["r1"] },
      event: { resources: [] },
      expected: false,
    },
    {
      title: "an empty array does not satisfy exists: true",
      pattern: { resources: [{ exists: true }] },
      event: { resources: [] },
      expected: false,
    },
    {
      title: "an empty array satisfies exists: false",
      pattern: { resources: [{ exists: false }] },
      event: { resources: [] },
      expected: true,
    },
    {
      title: "an empty array does not satisfy anything-but",
      pattern: { resources: [{ "anything-but": "x" }] },
      event: { resources: [] },
      expected: false,
    },
    {
      title: "nested arrays are flattened",
      pattern: { a: [3] },
      event: { a: [[1, 2], [3]] },
      expected: true,
    },
  ]);
});

describe("rule 5: all fields of one pattern object must match the same array element", () => {
  const employees = {
    employees: [
      { firstName: "John", lastName: "Doe" },
      { firstName: "Anna", lastName: "Smith" },
      { firstName: "Peter", lastName: "Jones" },
    ],
  };
  check([
    {
      title: "matches a field of one element",
      pattern: { employees: { firstName: ["Anna"] } },
      event: employees,
      expected: true,
    },
    {
      title: "matches two fields of the same element",
      pattern: { employees: { firstName: ["Anna"], lastName: ["Smith"] } },
      event: employees,
      expected: true,
    },
    {
      title: "refuses fields satisfied by different elements",
      pattern: { employees: { firstName: ["Anna"], lastName: ["Jones"] } },
      event: employees,
      expected: false,
    },
    {
      title: "keeps consistency for nested objects of the element",
      pattern: { items: { name: ["a"], meta: { size: [2] } } },
      event: {
        items: [
          { name: "a", meta: { size: 1 } },
          { name: "b", meta: { size: 2 } },
        ],
      },
      expected: false,
    },
    {
      title: "keeps consistency inside $or branches",
      pattern: { items: { $or: [{ name: ["a"], size: [2] }, { name: ["c"] }] } },
      event: {
        items: [
          { name: "a", size: 1 },
          { name: "b", size: 2 },
        ],
      },
      expected: false,
    },
    {
      title: "crushes nested arrays of objects",
      pattern: { employees: { firstName: ["Peter"] } },
      event: { employees: [[{ firstName: "John" }], [{ firstName: "Peter" }]] },
      expected: true,
    },
  ]);
});

describe("rule 6: prefix and suffix match strings only, with ignore-case forms", () => {
  check([
    {
      title: "prefix matches the start of a string",
      pattern: { time: [{ prefix: "2017-10-02" }] },
      event: ec2,
      expected: true,
    },
    {
      title: "prefix is case-sensitive",
      pattern: { source: [{ prefix: "AWS." }] },
      event: ec2,
      expected: false,
    },
    {
      title: "prefix never matches a number",
      pattern: { a: [{ prefix: "12" }] },
      event: { a: 123 },
      expected: false,
    },
    {
      title: "suffix matches the end of a string",
      pattern: { file: [{ suffix: ".png" }] },
      event: { file: "logo.png" },
      expected: true,
    },
    {
      title: "suffix is case-sensitive",
      pattern: { file: [{ suffix: ".png" }] },
      event: { file: "logo.PNG" },
      expected: false,
    },
    {
      title: "suffix never matches a number",
      pattern: { a: [{ suffix: "3" }] },
      event: { a: 123 },
      expected: false,
    },
    {
      title: "prefix with equals-ignore-case ignores case",
      pattern: { s: [{ prefix: { "equals-ignore-case": "EventB" } }] },
      event: { s: "eventbridge" },
      expected: true,
    },
    {
      title: "suffix with equals-ignore-case ignores case",
      pattern: { f: [{ suffix: { "equals-ignore-case": ".png" } }] },
      event: { f: "LOGO.PNG" },
      expected: true,
    },
  ]);
});

describe("rule 7: equals-ignore-case compares whole strings", () => {
  check([
    {
      title: "matches another case",
      pattern: { name: [{ "equals-ignore-case": "alice" }] },
      event: { name: "ALICE" },
      expected: true,
    },
    {
      title: "does not match a longer string",
      pattern: { name: [{ "equals-ignore-case": "alice" }] },
      event: { name: "Alice B" },
      expected: false,
    },
    {
      title: "does not match a number",
      pattern: { n: [{ "equals-ignore-case": "5" }] },
      event: { n: 5 },
      expected: false,
    },
    {
      title: "matches any element of an event array",
      pattern: { n: [{ "equals-ignore-case": "b" }] },
      event: { n: ["a", "B"] },
      expected: true,
    },
  ]);
});

describe("rule 8: wildcard with * for any run of characters and escapes", () => {
  check([
    {
      title: "* matches a run of characters",
      pattern: { s: [{ wildcard: "Simple*Service" }] },
      event: { s: "SimpleQueueService" },
      expected: true,
    },
    {
      title: "* matches no characters",
      pattern: { s: [{ wildcard: "Simple*Service" }] },
      event: { s: "SimpleService" },
      expected: true,
    },
    {
      title: "several * may appear",
      pattern: { p: [{ wildcard: "*/lib/*.js" }] },
      event: { p: "src/lib/a.js" },
      expected: true,
    },
    {
      title: "the rest must match literally",
      pattern: { s: [{ wildcard: "a*c" }] },
      event: { s: "abd" },
      expected: false,
    },
    {
      title: "\\* is a literal asterisk",
      pattern: { s: [{ wildcard: "a\\*c" }] },
      event: { s: "a*c" },
      expected: true,
    },
    {
      title: "\\* does not act as a wildcard",
      pattern: { s: [{ wildcard: "a\\*c" }] },
      event: { s: "abc" },
      expected: false,
    },
    {
      title: "\\\\ is a literal backslash",
      pattern: { s: [{ wildcard: "a\\\\*" }] },
      event: { s: "a\\bc" },
      expected: true,
    },
    {
      title: "regex characters are literal",
      pattern: { s: [{ wildcard: "a.c*" }] },
      event: { s: "abc" },
      expected: false,
    },
    {
      title: "never matches a number",
      pattern: { s: [{ wildcard: "1*" }] },
      event: { s: 12 },
      expected: false,
    },
  ]);
});

describe("rule 9: anything-but excludes values and needs the field present", () => {
  check([
    {
      title: "matches another string",
      pattern: { state: [{ "anything-but": "initializing" }] },
      event: { state: "running" },
      expected: true,
    },
    {
      title: "fails on the excluded string",
      pattern: { state: [{ "anything-but": "initializing" }] },
      event: { state: "initializing" },
      expected: false,
    },
    {
      title: "fails on a listed string",
      pattern: { state: [{ "anything-but": ["stopped", "overloaded"] }] },
      event: { state: "stopped" },
      expected: false,
    },
    {
      title: "fails on a listed number",
      pattern: { x: [{ "anything-but": [100, 200] }] },
      event: { x: 200 },
      expected: false,
    },
    {
      title: "matches a number that is not listed",
      pattern: { x: [{ "anything-but": 123 }] },
      event: { x: 124 },
      expected: true,
    },
    {
      title: "fails when the field is missing",
      pattern: { state: [{ "anything-but": "x" }] },
      event: { other: 1 },
      expected: false,
    },
    {
      title: "excludes by prefix",
      pattern: { region: [{ "anything-but": { prefix: "us-" } }] },
      event: { region: "us-east-1" },
      expected: false,
    },
    {
      title: "matches what the prefix does not exclude",
      pattern: { region: [{ "anything-but": { prefix: "us-" } }] },
      event: { region: "eu-west-1" },
      expected: true,
    },
    {
      title: "excludes by suffix",
      pattern: { f: [{ "anything-but": { suffix: ".png" } }] },
      event: { f: "a.png" },
      expected: false,
    },
    {
      title: "excludes by equals-ignore-case",
      pattern: { s: [{ "anything-but": { "equals-ignore-case": ["INIT", "stop"] } }] },
      event: { s: "Stop" },
      expected: false,
    },
    {
      title: "excludes by wildcard",
      pattern: { p: [{ "anything-but": { wildcard: "*/lib/*" } }] },
      event: { p: "src/lib/a" },
      expected: false,
    },
    {
      title: "matches what the wildcard does not exclude",
      pattern: { p: [{ "anything-but": { wildcard: "*/lib/*" } }] },
      event: { p: "src/app/a" },
      expected: true,
    },
    {
      title: "matches an event array when some element is not excluded",
      pattern: { s: [{ "anything-but": "a" }] },
      event: { s: ["a", "b"] },
      expected: true,
    },
    {
      title: "fails on an event array whose elements are all excluded",
      pattern: { s: [{ "anything-but": ["a", "b"] }] },
      event: { s: ["a", "b"] },
      expected: false,
    },
  ]);
});

describe("rule 10: numeric matches JSON numbers only, over the full double range", () => {
  check([
    {
      title: "matches inside a closed-open range",
      pattern: { n: [{ numeric: [">=", 0, "<", 5] }] },
      event: { n: 0 },
      expected: true,
    },
    {
      title: "excludes the open upper bound",
      pattern: { n: [{ numeric: [">=", 0, "<", 5] }] },
      event: { n: 5 },
      expected: false,
    },
    {
      title: "matches an upper bound alone",
      pattern: { n: [{ numeric: ["<", 10] }] },
      event: { n: -3.5 },
      expected: true,
    },
    {
      title: "matches equality",
      pattern: { n: [{ numeric: ["=", 3.018e2] }] },
      event: { n: 301.8 },
      expected: true,
    },
    {
      title: "a numeric-looking string never matches",
      pattern: { n: [{ numeric: [">", 0] }] },
      event: { n: "5" },
      expected: false,
    },
    {
      title: "handles values far beyond five billion",
      pattern: { n: [{ numeric: [">", 1e300] }] },
      event: { n: 1.5e300 },
      expected: true,
    },
    {
      title: "handles large negative values",
      pattern: { n: [{ numeric: ["<=", -1e20] }] },
      event: { n: -2e20 },
      expected: true,
    },
    {
      title: "ORs several numeric conditions",
      pattern: { n: [{ numeric: ["<", 0] }, { numeric: [">", 100] }] },
      event: { n: 150 },
      expected: true,
    },
    {
      title: "matches any element of an event array",
      pattern: { n: [{ numeric: [">", 10] }] },
      event: { n: [1, 20] },
      expected: true,
    },
  ]);
});

describe("rule 11: exists works on leaves, false matches object-ending paths, null exists", () => {
  check([
    {
      title: "exists: true matches a present field",
      pattern: { detail: { "c-count": [{ exists: true }] } },
      event: ec2,
      expected: true,
    },
    {
      title: "exists: true fails on a missing field",
      pattern: { detail: { nope: [{ exists: true }] } },
      event: ec2,
      expected: false,
    },
    {
      title: "exists: false matches a missing field",
      pattern: { detail: { nope: [{ exists: false }] } },
      event: ec2,
      expected: true,
    },
    {
      title: "exists: false fails on a present field",
      pattern: { detail: { state: [{ exists: false }] } },
      event: ec2,
      expected: false,
    },
    {
      title: "exists: false matches a path that ends at an object",
      pattern: { detail: { c: [{ exists: false }] } },
      event: { detail: { c: { c1: 100 } } },
      expected: true,
    },
    {
      title: "exists: true fails on a path that ends at an object",
      pattern: { detail: { c: [{ exists: true }] } },
      event: { detail: { c: { c1: 100 } } },
      expected: false,
    },
    {
      title: "a field holding null exists",
      pattern: { a: [{ exists: true }] },
      event: { a: null },
      expected: true,
    },
    {
      title: "exists: false matches when a parent is missing",
      pattern: { x: { y: [{ exists: false }] } },
      event: { other: 1 },
      expected: true,
    },
  ]);
});

describe("rule 12: cidr matches IPv4 and IPv6 string addresses", () => {
  check([
    {
      title: "matches an IPv4 address in the block",
      pattern: { ip: [{ cidr: "10.0.0.0/24" }] },
      event: { ip: "10.0.0.255" },
      expected: true,
    },
    {
      title: "fails on an IPv4 address outside the block",
      pattern: { ip: [{ cidr: "10.0.0.0/24" }] },
      event: { ip: "10.0.1.1" },
      expected: false,
    },
    {
      title: "matches an IPv6 address in the block",
      pattern: { ip: [{ cidr: "2001:db8::/32" }] },
      event: { ip: "2001:db8:1::5" },
      expected: true,
    },
    {
      title: "fails on an IPv6 address outside the block",
      pattern: { ip: [{ cidr: "2001:db8::/32" }] },
      event: { ip: "2001:db9::1" },
      expected: false,
    },
    {
      title: "does not mix IP versions",
      pattern: { ip: [{ cidr: "0.0.0.0/0" }] },
      event: { ip: "::1" },
      expected: false,
    },
    {
      title: "fails on a string that is not an address",
      pattern: { ip: [{ cidr: "10.0.0.0/8" }] },
      event: { ip: "ten" },
      expected: false,
    },
    {
      title: "compares literal IPv6 values as addresses",
      pattern: { ip: ["2001:db8::1"] },
      event: { ip: "2001:0db8:0:0:0:0:0:1" },
      expected: true,
    },
  ]);
});

describe("rule 13: $or at any level, ANDed with sibling fields", () => {
  const metric = {
    source: "aws.cloudwatch",
    metricType: "MetricType",
    namespace: "AWS/EC2",
    detail: { scope: "Service" },
  };
  check([
    {
      title: "matches when one branch matches",
      pattern: { source: ["aws.cloudwatch"], $or: [{ metricName: ["CPU"] }, { namespace: ["AWS/EC2"] }] },
      event: metric,
      expected: true,
    },
    {
      title: "fails when no branch matches",
      pattern: { $or: [{ metricName: ["CPU"] }, { namespace: ["AWS/ES"] }] },
      event: metric,
      expected: false,
    },
    {
      title: "is ANDed with sibling fields",
      pattern: { source: ["aws.other"], $or: [{ metricName: ["CPU"] }, { namespace: ["AWS/EC2"] }] },
      event: metric,
      expected: false,
    },
    {
      title: "works nested inside an object",
      pattern: { detail: { $or: [{ scope: ["Service"] }, { kind: ["x"] }] } },
      event: metric,
      expected: true,
    },
    {
      title: "works nested inside a branch",
      pattern: {
        $or: [
          { metricName: ["CPU"] },
          { metricType: ["MetricType"], $or: [{ namespace: ["AWS/EC2"] }, { spaceId: [1000] }] },
        ],
      },
      event: metric,
      expected: true,
    },
    {
      title: "ANDs parallel $or groups",
      pattern: {
        $or: [{ metricName: ["CPU"] }, { namespace: ["AWS/EC2"] }],
        detail: { $or: [{ scope: ["Other"] }, { kind: ["x"] }] },
      },
      event: metric,
      expected: false,
    },
  ]);
});

describe("testEventPattern", () => {
  it("accepts the pattern and event as JSON text", () => {
    // Arrange
    const pattern = '{"source":["aws.ec2"]}';

    // Act
    const result = testEventPattern(pattern, JSON.stringify(ec2));

    // Assert
    expect(result).toBe(true);
  });

  it("does not match an event that is not an object", () => {
    // Arrange
    const pattern = { a: [{ exists: false }] };

    // Act
    const result = testEventPattern(pattern, "[1]");

    // Assert
    expect(result).toBe(false);
  });
});
