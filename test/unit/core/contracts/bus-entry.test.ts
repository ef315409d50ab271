import { describe, expect, it } from "vitest";
import * as z from "zod";
import {
  entrySize,
  MAX_ENTRIES_PER_PUT,
  MAX_ENTRY_BYTES,
  toBusEntry,
} from "../../../../functions/core/contracts/bus-entry.js";
import { DetailType } from "../../../../functions/core/contracts/detail-type.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import type { PublishRequest } from "../../../../functions/core/ports/event-publisher.js";
import { DETAIL_EXAMPLES } from "./detail-examples.js";
import { readFixture } from "./samples.js";

/** A PutEvents request in the shape of the EventBridge API reference. */
const putEventsSample = z.object({
  request: z.object({
    Entries: z.array(
      z.object({
        Source: z.string(),
        DetailType: z.string(),
        Detail: z.string(),
        Resources: z.array(z.string()),
      }),
    ),
  }),
});

function documentedEntry() {
  const sample = putEventsSample.parse(readFixture("aws/eventbridge-putevents.partial-failure.json"));
  const [first] = sample.request.Entries;
  if (!first) throw new Error("the PutEvents fixture has no request entry");
  return first;
}

/** A Commit Pushed request whose single commit message is `padding` characters long. */
function commitPushedWithMessage(padding: number): PublishRequest<"Commit Pushed"> {
  const example = DETAIL_EXAMPLES["Commit Pushed"];
  return {
    detailType: DetailType.CommitPushed,
    detail: { ...example, commits: [{ id: example.commit, message: "x".repeat(padding) }] },
  };
}

function rejectionOf(run: () => unknown): ShiplineError {
  try {
    run();
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error("expected a ShiplineError, but nothing was thrown");
}

describe("entrySize", () => {
  it("counts 14 bytes for Time plus the bytes of Source, DetailType, Detail and each resource", () => {
    // Arrange
    const entry = documentedEntry();

    // Act
    const size = entrySize(entry);

    // Assert
    const detailBytes = '{ "app": "web", "attempt": 1 }'.length;
    const resourceBytes = "arn:aws:ecr:eu-west-1:123456789012:repository/shipline-demo/app".length;
    expect(size).toBe(14 + "shipline.smoke".length + "Smoke Test".length + detailBytes + resourceBytes);
  });

  it("counts UTF-8 bytes, not characters", () => {
    // Arrange
    const entry = { Source: "shipline", DetailType: "Build Failed", Detail: '{"reason":"échec ✗"}' };

    // Act
    const size = entrySize(entry);

    // Assert
    expect(entry.Detail.length).toBe(20);
    expect(size).toBe(14 + 8 + 12 + 23);
  });
});

describe("toBusEntry", () => {
  it("turns a valid request into a PutEvents entry for the shipline bus, with the parsed detail as JSON", () => {
    // Arrange
    const time = new Date("2026-03-01T12:00:00.000Z");

    // Act
    const entry = toBusEntry({
      detailType: DetailType.ImagePushed,
      detail: DETAIL_EXAMPLES["Image Pushed"],
      resources: ["arn:aws:ecr:eu-west-1:123456789012:repository/web"],
      time,
    });

    // Assert
    expect(entry).toMatchObject({
      Source: "shipline",
      DetailType: "Image Pushed",
      EventBusName: "shipline",
      Resources: ["arn:aws:ecr:eu-west-1:123456789012:repository/web"],
      Time: time,
    });
    expect(JSON.parse(entry.Detail)).toEqual({
      ...DETAIL_EXAMPLES["Image Pushed"],
      schemaVersion: 1,
      via: "event",
    });
  });

  it("addresses the bus it is given", () => {
    // Act
    const entry = toBusEntry(
      { detailType: DetailType.HoldReleased, detail: DETAIL_EXAMPLES["Hold Released"] },
      "arn:aws:events:eu-west-1:123456789012:event-bus/shipline-test",
    );

    // Assert
    expect(entry.EventBusName).toBe("arn:aws:events:eu-west-1:123456789012:event-bus/shipline-test");
    expect(entry.Resources).toEqual([]);
    expect(entry.Time).toBeInstanceOf(Date);
  });

  it("rejects a detail that breaks its contract with a permanent EVENT_INVALID naming the field", () => {
    // Arrange
    const detail = { ...DETAIL_EXAMPLES["Config Committed"], configCommit: "main" };

    // Act
    const error = rejectionOf(() => toBusEntry({ detailType: DetailType.ConfigCommitted, detail }));

    // Assert
    expect(error.code).toBe("EVENT_INVALID");
    expect(error.retryable).toBe(false);
    expect(error.message).toContain(
      "detail.configCommit: expected a 40 or 64 character lower-case hex git sha",
    );
  });

  it("accepts an entry of exactly 256 KB", () => {
    // Arrange
    const base = entrySize(toBusEntry(commitPushedWithMessage(0)));
    const request = commitPushedWithMessage(MAX_ENTRY_BYTES - base);

    // Act
    const entry = toBusEntry(request);

    // Assert
    expect(entrySize(entry)).toBe(MAX_ENTRY_BYTES);
  });

  it("rejects an entry one byte over 256 KB with a permanent EVENT_TOO_LARGE that gives the size", () => {
    // Arrange
    const base = entrySize(toBusEntry(commitPushedWithMessage(0)));
    const request = commitPushedWithMessage(MAX_ENTRY_BYTES - base + 1);

    // Act
    const error = rejectionOf(() => toBusEntry(request));

    // Assert
    expect(error.code).toBe("EVENT_TOO_LARGE");
    expect(error.retryable).toBe(false);
    expect(error.data).toEqual({ detailType: "Commit Pushed", size: MAX_ENTRY_BYTES + 1, limit: 262_144 });
    expect(error.message).toContain(`Commit Pushed event is ${MAX_ENTRY_BYTES + 1} bytes`);
  });

  it("states PutEvents' limit of 10 entries per call", () => {
    // Assert
    expect(MAX_ENTRIES_PER_PUT).toBe(10);
  });
});
