import { describe, expect, it } from "vitest";
import { toBusEntry } from "../../../../functions/core/contracts/bus-entry.js";
import { DetailType } from "../../../../functions/core/contracts/detail-type.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import {
  MAX_DATA_LENGTH,
  MAX_REASON_LENGTH,
  rawEventFacts,
  stepFailedRequest,
} from "../../../../functions/handlers/shared/step-failed-request.js";
import { DETAIL_EXAMPLES } from "../../core/contracts/detail-examples.js";
import { readFixture, withChange } from "../../core/contracts/samples.js";
import { shiplineEvent } from "./step-test-kit.js";

describe("rawEventFacts", () => {
  it("reads the identity of a Shipline event", () => {
    // Act
    const facts = rawEventFacts(
      shiplineEvent(DetailType.ImagePushed, DETAIL_EXAMPLES["Image Pushed"], "evt-1"),
    );

    // Assert
    expect(facts).toEqual({
      id: "evt-1",
      source: "shipline",
      detailType: "Image Pushed",
      app: "web",
      commit: DETAIL_EXAMPLES["Image Pushed"].commit,
      correlationId: "push-7a1c2f",
    });
  });

  it("reads what it can from an AWS event and ignores fields of the wrong type", () => {
    // Arrange
    const sample = readFixture("aws/ecr-image-action.push.json");

    // Act
    const facts = rawEventFacts(withChange(sample, ["id"], { set: 42 }));

    // Assert
    expect(facts).toEqual({
      id: undefined,
      source: "aws.ecr",
      detailType: "ECR Image Action",
      app: undefined,
      commit: undefined,
      correlationId: undefined,
    });
  });

  it("reads nothing from something that is not an object", () => {
    // Act
    const facts = rawEventFacts("not an event");

    // Assert
    expect(facts).toEqual({});
  });
});

describe("stepFailedRequest", () => {
  it("builds a Step Failed request that passes its own contract", () => {
    // Arrange
    const error = new ShiplineError({
      code: "CONFIG_INVALID",
      message: "apps[0].repo: missing",
      data: { key: "apps[0]" },
    });
    const event = shiplineEvent(DetailType.CommitPushed, DETAIL_EXAMPLES["Commit Pushed"], "evt-9");

    // Act
    const request = stepFailedRequest({ step: "start-build", error, event, correlationId: "push-7a1c2f" });

    // Assert
    expect(JSON.parse(toBusEntry(request).Detail)).toEqual({
      schemaVersion: 1,
      app: null,
      commit: DETAIL_EXAMPLES["Commit Pushed"].commit,
      correlationId: "push-7a1c2f",
      step: "start-build",
      code: "CONFIG_INVALID",
      reason: "apps[0].repo: missing",
      failedEventId: "evt-9",
      failedDetailType: "Commit Pushed",
      data: { key: "apps[0]" },
    });
  });

  it("cuts a very long reason and replaces oversized data with a note", () => {
    // Arrange
    const error = new ShiplineError({
      code: "EVENT_INVALID",
      message: "m".repeat(MAX_REASON_LENGTH + 10),
      data: { problems: ["p".repeat(MAX_DATA_LENGTH)] },
    });

    // Act
    const request = stepFailedRequest({ step: "ledger", error, event: {}, correlationId: "req-1" });

    // Assert
    expect(request.detail.reason).toHaveLength(MAX_REASON_LENGTH);
    expect(request.detail.reason.endsWith("…")).toBe(true);
    expect(request.detail.data).toEqual({
      omitted: expect.stringMatching(/^data is \d+ characters, over 65536$/),
    });
    expect(() => toBusEntry(request)).not.toThrow();
  });

  it("replaces data that cannot be serialised with a note", () => {
    // Arrange
    const error = new ShiplineError({ code: "EVENT_INVALID", message: "bad", data: { size: 10n } });

    // Act
    const request = stepFailedRequest({ step: "ledger", error, event: {}, correlationId: "req-1" });

    // Assert
    expect(request.detail.data).toEqual({ omitted: expect.stringMatching(/^data is not serialisable: /) });
  });
});
