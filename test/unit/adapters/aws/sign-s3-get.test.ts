import { describe, expect, it } from "vitest";
import { encodeS3Key, signS3Get } from "../../../../functions/adapters/aws/sign-s3-get.js";

describe("signS3Get", () => {
  it("signs AWS's documented GET Object example to its documented signature", async () => {
    // Arrange: the example of S3's Signature Version 4 reference (GET /test.txt, Range bytes=0-9).
    const request = {
      host: "examplebucket.s3.amazonaws.com",
      path: "/test.txt",
      region: "us-east-1",
      credentials: {
        accessKeyId: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      },
      now: new Date("2013-05-24T00:00:00Z"),
      headers: { Range: "bytes=0-9" },
    };

    // Act
    const headers = await signS3Get(request);

    // Assert
    expect(headers.authorization).toBe(
      "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
    );
    expect(headers["x-amz-date"]).toBe("20130524T000000Z");
  });

  it("signs and sends the session token of temporary credentials", async () => {
    // Arrange
    const request = {
      host: "reports.s3.eu-west-1.amazonaws.com",
      path: "/scans/a.json",
      region: "eu-west-1",
      credentials: { accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token-1" },
      now: new Date("2026-12-07T21:40:00Z"),
    };

    // Act
    const headers = await signS3Get(request);

    // Assert
    expect(headers["x-amz-security-token"]).toBe("token-1");
    expect(headers.authorization).toContain(
      "Credential=ASIAEXAMPLE/20261207/eu-west-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,",
    );
  });
});

describe("encodeS3Key", () => {
  it("encodes each segment of a key once, keeping its slashes", () => {
    // Act
    const encoded = encodeS3Key("scans/registry.example.com:5000/a b/sha256:0a!.json");

    // Assert
    expect(encoded).toBe("scans/registry.example.com%3A5000/a%20b/sha256%3A0a%21.json");
  });
});
