import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EventBridgePublisher } from "../../../../functions/adapters/aws/eventbridge-publisher.js";
import { DetailType } from "../../../../functions/core/contracts/detail-type.js";
import { createStepDeps } from "../../../../functions/handlers/shared/create-step-deps.js";
import { readEnvironment } from "../../../../functions/handlers/shared/environment.js";
import { DETAIL_EXAMPLES } from "../../core/contracts/detail-examples.js";
import { OutputCapture } from "./step-test-kit.js";

describe("createStepDeps", () => {
  const eventBridge = mockClient(EventBridgeClient);
  let output: OutputCapture;

  beforeEach(() => {
    output = new OutputCapture();
    output.start();
  });

  afterEach(() => {
    eventBridge.reset();
    output.stop();
  });

  it("publishes through EventBridge to the bus the environment names", async () => {
    // Arrange
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: "e-1" }] });
    const environment = readEnvironment({ env: { EVENT_BUS_NAME: "shipline-prod" } });
    const deps = createStepDeps({
      step: "rollback",
      environment,
      eventBridge: new EventBridgeClient({ region: "eu-west-1" }),
    });

    // Act
    const results = await deps.publisher.publish([
      { detailType: DetailType.HoldPlaced, detail: DETAIL_EXAMPLES["Hold Placed"] },
    ]);

    // Assert
    expect(deps.publisher).toBeInstanceOf(EventBridgePublisher);
    expect(results).toEqual([{ eventId: "e-1" }]);
    expect(eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.EventBusName).toBe(
      "shipline-prod",
    );
  });

  it("names the service after the step unless the environment names it", () => {
    // Arrange
    const named = createStepDeps({
      step: "notify",
      environment: readEnvironment({
        env: { EVENT_BUS_NAME: "shipline", POWERTOOLS_SERVICE_NAME: "shipline-notify" },
      }),
    });
    const unnamed = createStepDeps({
      step: "ledger",
      environment: readEnvironment({ env: { EVENT_BUS_NAME: "shipline" } }),
    });

    // Act
    named.logger.info("named");
    unnamed.logger.info("unnamed");

    // Assert
    expect(output.logs("named")).toEqual([expect.objectContaining({ service: "shipline-notify" })]);
    expect(output.logs("unnamed")).toEqual([expect.objectContaining({ service: "ledger" })]);
  });
});
