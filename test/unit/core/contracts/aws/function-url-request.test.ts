import { describe, expect, it } from "vitest";
import { functionUrlRequest } from "../../../../../functions/core/contracts/aws/function-url-request.js";
import { issuesOf, type JsonPath, naming, readFixture, withChange } from "../samples.js";

const sample = readFixture("aws/lambda-function-url.request.json");

describe("functionUrlRequest", () => {
  it("parses a payload 2.0 request with its method, headers and body", () => {
    // Act
    const request = functionUrlRequest.parse(sample);

    // Assert
    expect(request.requestContext.http.method).toBe("POST");
    expect(request.rawPath).toBe("/hooks/push");
    expect(request.headers).toMatchObject({
      "content-type": "application/json",
      "x-forwarded-proto": "https",
    });
    expect(request.queryStringParameters).toEqual({ app: "web,api", dryRun: "true" });
    expect(request.body).toBe('{"ref":"refs/heads/main"}');
    expect(request.isBase64Encoded).toBe(false);
  });

  it("keeps request-context fields it does not name, such as the IAM authorizer", () => {
    // Act
    const request = functionUrlRequest.parse(sample);

    // Assert
    expect(request.requestContext).toHaveProperty("authorizer.iam.accountId", "210987654321");
  });

  it("accepts a request without a body, as a GET sends none", () => {
    // Arrange
    const bodiless = withChange(sample, ["body"], { remove: true });

    // Act
    const problems = issuesOf(functionUrlRequest, bodiless);

    // Assert
    expect(problems).toEqual([]);
  });

  it.each<{
    readonly label: string;
    readonly at: JsonPath;
    readonly value?: unknown;
    readonly field: string;
  }>([
    { label: "another payload version", at: ["version"], value: "1.0", field: "version" },
    { label: "missing headers", at: ["headers"], field: "headers" },
    {
      label: "a header value that is a list",
      at: ["headers", "content-type"],
      value: ["application/json"],
      field: "headers.content-type",
    },
    {
      label: "a missing HTTP method",
      at: ["requestContext", "http", "method"],
      field: "requestContext.http.method",
    },
    {
      label: "a base64 flag given as text",
      at: ["isBase64Encoded"],
      value: "false",
      field: "isBase64Encoded",
    },
  ])("rejects $label and names the field", ({ at, value, field }) => {
    // Arrange
    const mutated = withChange(sample, at, value === undefined ? { remove: true } : { set: value });

    // Act
    const problems = issuesOf(functionUrlRequest, mutated);

    // Assert
    expect(problems).toContainEqual(naming(field));
  });
});
