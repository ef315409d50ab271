import { describe, expect, it } from "vitest";
import { readAgentEnvironment } from "../../../functions/agent/agent-environment.js";

describe("readAgentEnvironment", () => {
  it("reads the queue, the bus and Argo CD's settings, with defaults for the rest", () => {
    // Act
    const environment = readAgentEnvironment({
      SHIPLINE_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/prod-eu",
      EVENT_BUS_NAME: "shipline",
      ARGOCD_INSECURE: "true",
    });

    // Assert
    expect(environment).toMatchObject({
      queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/prod-eu",
      eventBusName: "shipline",
      argocdUrl: "http://argocd-server.argocd.svc",
      argocdTokenFile: "/var/run/secrets/argocd/token",
      argocdInsecure: true,
      port: 8080,
      concurrency: 4,
    });
  });

  it("names every missing or bad variable in one error", () => {
    // Act
    const run = () => readAgentEnvironment({ AGENT_CONCURRENCY: "many" });

    // Assert
    expect(run).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
    expect(run).toThrow(/SHIPLINE_QUEUE_URL.*EVENT_BUS_NAME.*AGENT_CONCURRENCY/s);
  });
});
