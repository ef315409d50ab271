import { describe, expect, it } from "vitest";
import {
  cidrContains,
  parseCidr,
  parseIpAddress,
} from "../../../../functions/core/event-pattern/ip-address.js";

describe("parseIpAddress", () => {
  it.each([
    ["10.0.0.1", 4, 167772161n],
    ["::1", 6, 1n],
    ["::", 6, 0n],
    ["::ffff:10.0.0.1", 6, 0xffff0a000001n],
    ["2001:DB8::", 6, 0x20010db8n << 96n],
  ])("parses %s", (text, version, value) => {
    // Arrange
    const input = text;

    // Act
    const address = parseIpAddress(input);

    // Assert
    expect(address).toEqual({ version, value });
  });

  it.each(["10.0.0", "256.0.0.1", "1::2::3", "1:2:3:4:5:6:7:8:9", "12345::", "hello", "1:2:3:4:5:6:7"])(
    "refuses %s",
    (text) => {
      // Arrange
      const input = text;

      // Act
      const address = parseIpAddress(input);

      // Assert
      expect(address).toBeUndefined();
    },
  );
});

describe("parseCidr", () => {
  it("ignores host bits of the network address", () => {
    // Arrange
    const block = parseCidr("10.0.0.77/24");

    // Act
    const inside = typeof block !== "string" && cidrContains(block, parseIpAddress("10.0.0.1")!);

    // Assert
    expect(inside).toBe(true);
  });

  it("treats /0 as every address of its version", () => {
    // Arrange
    const block = parseCidr("::/0");

    // Act
    const inside = typeof block !== "string" && cidrContains(block, parseIpAddress("2001:db8::1")!);

    // Assert
    expect(inside).toBe(true);
  });

  it("explains a prefix length out of range", () => {
    // Arrange
    const text = "::/129";

    // Act
    const result = parseCidr(text);

    // Assert
    expect(result).toContain("0..128");
  });
});
