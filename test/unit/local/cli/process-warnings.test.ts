import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { quietSdkNodeVersionWarning } from "../../../../functions/local/cli/process-warnings.js";

describe("quietSdkNodeVersionWarning", () => {
  it("drops the AWS SDK's Node.js version warning and passes every other warning on", () => {
    // Arrange
    const target = new EventEmitter();
    const printed: string[] = [];
    target.on("warning", (warning: Error) => printed.push(warning.message));
    quietSdkNodeVersionWarning(target);
    const sdk = new Error(
      "NodeVersionSupportWarning: The AWS SDK for JavaScript (v3)\nversions published after …",
    );
    const other = Object.assign(new Error("something else"), { name: "DeprecationWarning" });

    // Act
    target.emit("warning", sdk);
    target.emit("warning", other);

    // Assert
    expect(printed).toEqual(["something else"]);
  });
});
