import { describe, expect, it } from "vitest";
import { readNotifyEnvironment } from "../../../functions/handlers/notify-environment.js";

const TOPIC = "arn:aws:sns:eu-west-1:123456789012:shipline-notifications";

describe("readNotifyEnvironment", () => {
  it("reads the channels and the link bases", () => {
    // Act
    const environment = readNotifyEnvironment({
      env: {
        EVENT_BUS_NAME: "shipline",
        LEDGER_TABLE: "ledger-table",
        NOTIFY_TOPIC_ARN: TOPIC,
        SLACK_WEBHOOK_SECRET_ARN: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack",
        ARGOCD_URL: "https://argocd.example.com",
      },
    });

    // Assert
    expect(environment).toMatchObject({
      topicArn: TOPIC,
      slackWebhookSecretArn: "arn:aws:secretsmanager:eu-west-1:123456789012:secret:slack",
      argoCdUrl: "https://argocd.example.com",
      step: { eventBusName: "shipline", ledgerTable: "ledger-table" },
    });
    expect(environment.timelineUrl).toBeUndefined();
  });

  it("names every problem at once: the bus, no channel, a bad URL", () => {
    // Act
    const error = (() => {
      try {
        readNotifyEnvironment({ env: { ARGOCD_URL: "argocd" } });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();

    // Assert
    expect(error).toMatchObject({ code: "CONFIG_INVALID", retryable: false });
    const message = error instanceof Error ? error.message : "";
    expect(message).toContain("EVENT_BUS_NAME: is not set");
    expect(message).toContain("NOTIFY_TOPIC_ARN / SLACK_WEBHOOK_SECRET_ARN: neither is set");
    expect(message).toContain("ARGOCD_URL: is not a URL");
    expect(message).not.toContain("argocd;");
  });
});
