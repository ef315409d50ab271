import { describe, expect, it } from "vitest";
import {
  eventIdsOf,
  parseTrailers,
  renderCommitMessage,
  subjectOf,
} from "../../../../functions/core/writer/commit-message.js";
import { anIntent } from "./intent-fixtures.js";

describe("renderCommitMessage", () => {
  it("renders the template as the subject and the trailers after one blank line", () => {
    // Arrange
    const intent = anIntent({ scanVerdict: "approved" });

    // Act
    const message = renderCommitMessage({
      template: "deploy({environment}): {app} {tag} from {sha7}",
      intents: [intent],
    });

    // Assert
    expect(message).toBe(
      [
        "deploy(dev): demo v2 from 0123456",
        "",
        "Shipline-App: demo",
        "Shipline-Environment: dev",
        "Source-Commit: 0123456789abcdef0123456789abcdef01234567",
        `Image-Digest: sha256:${"a".repeat(64)}`,
        "Image-Tag: v2",
        "Scan-Verdict: approved",
        "Correlation-Id: corr-1",
        "Event-Id: evt-1",
        "",
      ].join("\n"),
    );
  });

  it("summarises a batch in the subject, lists each change in the body and repeats the trailers per intent", () => {
    // Arrange
    const intents = [
      anIntent({ intentId: "a" }),
      anIntent({ intentId: "b", app: "api", tag: "v3" }),
      anIntent({ intentId: "c", app: "web" }),
      anIntent({ intentId: "d", app: "jobs" }),
    ];

    // Act
    const message = renderCommitMessage({ intents });

    // Assert
    const [subject, blank, ...rest] = message.split("\n");
    expect(subject).toBe("deploy: 4 changes (demo, api, web and 1 more)");
    expect(blank).toBe("");
    expect(rest.slice(0, 4)).toEqual([
      "- deploy(dev): demo v2",
      "- deploy(dev): api v3",
      "- deploy(dev): web v2",
      "- deploy(dev): jobs v2",
    ]);
    expect(eventIdsOf(message)).toEqual(["a", "b", "c", "d"]);
    expect(parseTrailers(message).filter((trailer) => trailer.key === "Shipline-App")).toHaveLength(4);
  });

  it("keeps a template's unknown braces and turns line breaks into spaces so trailers stay last", () => {
    // Arrange
    const intent = anIntent();

    // Act
    const subject = subjectOf("{app}\n{nope} {tag}", intent);

    // Assert
    expect(subject).toBe("demo {nope} v2");
  });

  it("marks a revert in its subject and records the reverted commit as a trailer", () => {
    // Arrange
    const revertOf = "f".repeat(40);
    const intent = anIntent({ kind: "revert", revertOf, tag: "v1" });

    // Act
    const message = renderCommitMessage({ intents: [intent] });

    // Assert
    expect(message.split("\n")[0]).toBe("revert(dev): demo to v1 (undoes fffffff)");
    expect(parseTrailers(message)).toContainEqual({ key: "Shipline-Reverts", value: revertOf });
  });
});

describe("parseTrailers", () => {
  it("reads no trailers when the last paragraph is prose", () => {
    // Arrange
    const message = "subject\n\nEvent-Id: x\n\nThis is prose, not a trailer block.\n";

    // Act
    const trailers = parseTrailers(message);

    // Assert
    expect(trailers).toEqual([]);
  });

  it("reads no trailers from a message that is only a subject", () => {
    // Arrange
    const message = "Event-Id: lonely\n";

    // Act
    const ids = eventIdsOf(message);

    // Assert
    expect(ids).toEqual([]);
  });
});
