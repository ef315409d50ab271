import { describe, expect, it } from "vitest";
import * as z from "zod";
import { ecrImageScanEvent } from "../../../../functions/core/contracts/aws/ecr-image-scan.js";
import { inspector2ScanEvent } from "../../../../functions/core/contracts/aws/inspector2-scan.js";
import { DetailType } from "../../../../functions/core/contracts/detail-type.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { awsInput, shiplineInput } from "../../../../functions/handlers/shared/step-input.js";
import { DETAIL_EXAMPLES } from "../../core/contracts/detail-examples.js";
import { readFixture, withChange } from "../../core/contracts/samples.js";
import { shiplineEvent } from "./step-test-kit.js";

function rejectionOf(parse: () => unknown): ShiplineError {
  try {
    parse();
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error("expected a ShiplineError, but the event was accepted");
}

describe("shiplineInput", () => {
  it("parses a Shipline event and its detail by the contract", () => {
    // Arrange
    const input = shiplineInput(DetailType.SyncRequested);

    // Act
    const event = input.parse(shiplineEvent(DetailType.SyncRequested, DETAIL_EXAMPLES["Sync Requested"]));

    // Assert
    expect(input.kind).toBe("shipline");
    expect(event["detail-type"]).toBe("Sync Requested");
    expect(event.detail).toEqual({ ...DETAIL_EXAMPLES["Sync Requested"], schemaVersion: 1 });
  });

  it("refuses an event from another source even with a matching detail type", () => {
    // Arrange
    const input = shiplineInput(DetailType.HoldPlaced);
    const event = {
      ...shiplineEvent(DetailType.HoldPlaced, DETAIL_EXAMPLES["Hold Placed"]),
      source: "acme.ops",
    };

    // Act
    const error = rejectionOf(() => input.parse(event));

    // Assert
    expect(error.code).toBe("EVENT_INVALID");
    expect(error.message).toBe(
      "expected a 'Hold Placed' event from source 'shipline', got 'Hold Placed' from 'acme.ops'; check the event pattern of the rule that targets this step",
    );
  });

  it("lists every accepted detail type when refusing another", () => {
    // Arrange
    const input = shiplineInput(DetailType.ImageApproved, DetailType.PromotionApproved);

    // Act
    const error = rejectionOf(() =>
      input.parse(shiplineEvent(DetailType.HoldPlaced, DETAIL_EXAMPLES["Hold Placed"])),
    );

    // Assert
    expect(error.message).toContain("expected a 'Image Approved' or 'Promotion Approved' event");
    expect(error.data.accepts).toEqual(["Image Approved", "Promotion Approved"]);
  });
});

describe("awsInput", () => {
  it("parses either of two AWS scan events through a union schema", () => {
    // Arrange
    const input = awsInput(z.union([ecrImageScanEvent, inspector2ScanEvent]), "scan");

    // Act
    const ecr = input.parse(readFixture("aws/ecr-image-scan.complete.json"));
    const inspector = input.parse(readFixture("aws/inspector2-scan.ecr-initial-scan.json"));

    // Assert
    expect(input.kind).toBe("aws");
    expect([ecr.source, inspector.source]).toEqual(["aws.ecr", "aws.inspector2"]);
  });

  it("refuses a broken AWS event with a permanent EVENT_INVALID naming the field", () => {
    // Arrange
    const input = awsInput(ecrImageScanEvent, "ECR Image Scan");
    const sample = readFixture("aws/ecr-image-scan.complete.json");

    // Act
    const error = rejectionOf(() => input.parse(withChange(sample, ["detail", "image-digest"], { set: 5 })));

    // Assert
    expect(error.code).toBe("EVENT_INVALID");
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/^ECR Image Scan event does not match its schema: detail\.image-digest: /);
  });
});
