import { describe, expect, it } from "vitest";
import { functionUrlRequest } from "../../../../functions/core/contracts/aws/function-url-request.js";
import { rawBodyOf } from "../../../../functions/core/webhook/raw-body-of.js";
import { readFixture } from "../../../read-fixture.js";

const SAMPLE = functionUrlRequest.parse(readFixture("aws/lambda-function-url.request.json"));

describe("rawBodyOf", () => {
  it("takes the text body of a Function URL request as its UTF-8 bytes", () => {
    // Arrange
    const request = SAMPLE;

    // Act
    const body = rawBodyOf(request);

    // Assert
    expect(body.equals(Buffer.from('{"ref":"refs/heads/main"}'))).toBe(true);
  });

  it("decodes a base64-encoded body to the exact bytes sent, including non-UTF-8 bytes", () => {
    // Arrange
    const bytes = Buffer.from([0x7b, 0xff, 0x00, 0xc3, 0x7d]);
    const request = { ...SAMPLE, body: bytes.toString("base64"), isBase64Encoded: true };

    // Act
    const body = rawBodyOf(request);

    // Assert
    expect(body.equals(bytes)).toBe(true);
  });

  it("keeps multi-byte characters of a text body intact", () => {
    // Arrange
    const request = { body: '{"message":"Grüße ✓"}', isBase64Encoded: false };

    // Act
    const body = rawBodyOf(request);

    // Assert
    expect(body.toString("utf8")).toBe('{"message":"Grüße ✓"}');
  });

  it("gives an empty buffer for a request without a body", () => {
    // Arrange
    const request = { isBase64Encoded: false };

    // Act
    const body = rawBodyOf(request);

    // Assert
    expect(body.length).toBe(0);
  });
});
