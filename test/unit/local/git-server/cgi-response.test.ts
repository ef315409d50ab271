import { describe, expect, it } from "vitest";
import { parseCgiHead } from "../../../../functions/local/git-server/cgi-response.js";

describe("parseCgiHead", () => {
  it("takes the status from the Status header and keeps the other headers", () => {
    // Arrange
    const output = Buffer.from(
      "Status: 404 Not Found\r\nContent-Type: text/plain\r\nExpires: 0\r\n\r\nmissing",
    );

    // Act
    const head = parseCgiHead(output);

    // Assert
    expect(head).toMatchObject({
      status: 404,
      statusText: "Not Found",
      headers: [
        ["Content-Type", "text/plain"],
        ["Expires", "0"],
      ],
    });
    expect(output.subarray(head?.bodyOffset).toString()).toBe("missing");
  });

  it("answers 200 when there is no Status header and accepts bare newlines", () => {
    // Act
    const head = parseCgiHead(
      Buffer.from("Content-Type: application/x-git-upload-pack-advertisement\n\n001e#"),
    );

    // Assert
    expect(head?.status).toBe(200);
    expect(head?.bodyOffset).toBe(59);
  });

  it("waits while the header block is incomplete", () => {
    // Act
    const head = parseCgiHead(Buffer.from("Content-Type: text/plain\r\n"));

    // Assert
    expect(head).toBeUndefined();
  });
});
