import { afterEach, describe, expect, it } from "vitest";
import type { FunctionUrlRequest } from "../../../../functions/core/contracts/aws/function-url-request.js";
import { functionUrlRequest } from "../../../../functions/core/contracts/aws/function-url-request.js";
import { FunctionUrlServer } from "../../../../functions/local/function-url/function-url-server.js";
import { readFixture } from "../../../read-fixture.js";

/** A Function URL request in the payload 2.0 shape Lambda documents. */
const SAMPLE = functionUrlRequest.parse(readFixture("aws/lambda-function-url.request.json"));

describe("FunctionUrlServer", () => {
  let server: FunctionUrlServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it("passes a payload 2.0 event that the Function URL contract accepts, shaped like Lambda's", async () => {
    // Arrange
    const seen: FunctionUrlRequest[] = [];
    server = new FunctionUrlServer({
      handler: async (request) => {
        seen.push(request);
        return { statusCode: 202, headers: { "content-type": "text/plain" }, body: "queued" };
      },
    });
    const url = await server.start();

    // Act
    const response = await fetch(`${url}${SAMPLE.rawPath.slice(1)}?${SAMPLE.rawQueryString}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-GitHub-Event": "push", Cookie: "a=1; b=2" },
      body: '{"hello":"world"}',
    });

    // Assert
    expect(response.status).toBe(202);
    expect(await response.text()).toBe("queued");
    const event = functionUrlRequest.parse(seen[0]);
    expect(Object.keys(event).sort()).toEqual(Object.keys(SAMPLE).sort());
    expect(event.rawPath).toBe("/hooks/push");
    expect(event.rawQueryString).toBe("app=web&app=api&dryRun=true");
    expect(event.queryStringParameters).toEqual({ app: "web,api", dryRun: "true" });
    expect(event.headers["x-github-event"]).toBe("push");
    expect(event.cookies).toEqual(["a=1", "b=2"]);
    expect(event.body).toBe('{"hello":"world"}');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext.http.method).toBe("POST");
  });

  it("base64-encodes a binary body, as Lambda does", async () => {
    // Arrange
    const seen: FunctionUrlRequest[] = [];
    server = new FunctionUrlServer({
      handler: async (request) => {
        seen.push(request);
        return { statusCode: 200 };
      },
    });
    const url = await server.start();
    const bytes = Buffer.from([0, 1, 2, 250, 251]);

    // Act
    await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: bytes,
    });

    // Assert
    expect(seen[0]?.isBase64Encoded).toBe(true);
    expect(Buffer.from(seen[0]?.body ?? "", "base64")).toEqual(bytes);
  });

  it("answers 413 without invoking the function when the body is over the limit", async () => {
    // Arrange
    let calls = 0;
    server = new FunctionUrlServer({
      maxBodyBytes: 10,
      handler: async () => {
        calls += 1;
        return { statusCode: 200 };
      },
    });
    const url = await server.start();

    // Act
    const response = await fetch(url, { method: "POST", body: "x".repeat(11) });

    // Assert
    expect(response.status).toBe(413);
    expect(calls).toBe(0);
  });

  it("answers 502 when the function throws, as a failed invocation", async () => {
    // Arrange
    server = new FunctionUrlServer({
      handler: async () => {
        throw new Error("boom");
      },
    });
    const url = await server.start();

    // Act
    const response = await fetch(url);

    // Assert
    expect(response.status).toBe(502);
    expect(await response.text()).not.toContain("boom");
  });
});
