import { describe, expect, it } from "vitest";
import { isPlainSafe } from "../../../../functions/core/manifest/index.js";
import { renderScalar } from "../../../../functions/core/manifest/render-scalar.js";

describe("isPlainSafe", () => {
  it.each(["v1.2.3", "latest", "1.4.0-a1b2c3d", `sha256:${"ab".repeat(32)}`, "ghcr.io/acme/web:v1", "é-tag"])(
    "accepts %s",
    (value) => {
      // Arrange / Act / Assert
      expect(isPlainSafe(value, { flow: false })).toBe(true);
    },
  );

  it.each([
    "1.10",
    "2026",
    "1e3",
    "0x1F",
    "on",
    "yes",
    "no",
    "true",
    "null",
    "~",
    "1:20",
    "a: b",
    "x # y",
    " v1",
    "@x",
    "",
  ])("refuses %j", (value) => {
    // Arrange / Act / Assert
    expect(isPlainSafe(value, { flow: false })).toBe(false);
  });

  it("refuses flow indicators only inside flow collections", () => {
    // Arrange
    const value = "a,b";

    // Act / Assert
    expect(isPlainSafe(value, { flow: false })).toBe(true);
    expect(isPlainSafe(value, { flow: true })).toBe(false);
  });
});

describe("renderScalar", () => {
  it("keeps single and double quotes and escapes inside them", () => {
    // Arrange / Act
    const single = renderScalar("it's", { style: "single", flow: false });
    const double = renderScalar('say "hi" \\', { style: "double", flow: false });

    // Assert
    expect(single).toEqual({ text: "'it''s'", style: "single", quoted: false });
    expect(double).toEqual({ text: '"say \\"hi\\" \\\\"', style: "double", quoted: false });
  });

  it("double-quotes a plain value that would change type and says so", () => {
    // Arrange / Act
    const rendered = renderScalar("1.10", { style: "plain", flow: false });

    // Assert
    expect(rendered).toEqual({ text: '"1.10"', style: "double", quoted: true });
  });

  it("writes null as a plain null", () => {
    // Arrange / Act
    const rendered = renderScalar(null, { style: "double", flow: false });

    // Assert
    expect(rendered).toEqual({ text: "null", style: "plain", quoted: false });
  });
});
