import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { EnvName } from "../../../../functions/core/topology/env-names.js";
import { readEnvironment } from "../../../../functions/handlers/shared/environment.js";

function rejectionOf(read: () => unknown): ShiplineError {
  try {
    read();
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error("expected a ShiplineError, but the environment was accepted");
}

describe("readEnvironment", () => {
  it("reads the bus and defaults the metrics namespace", () => {
    // Act
    const environment = readEnvironment({ env: { [EnvName.EventBusName]: "shipline" } });

    // Assert
    expect(environment).toEqual({
      eventBusName: "shipline",
      serviceName: undefined,
      metricsNamespace: "Shipline",
      config: undefined,
      ledgerTable: undefined,
      idempotencyTable: undefined,
    });
  });

  it("reads every variable it knows, trimmed", () => {
    // Act
    const environment = readEnvironment({
      env: {
        EVENT_BUS_NAME: " shipline ",
        POWERTOOLS_SERVICE_NAME: "start-build",
        POWERTOOLS_METRICS_NAMESPACE: "ShiplineProd",
        CONFIG_FILE: "shipline.config.yaml",
        LEDGER_TABLE: "shipline-ledger",
        IDEMPOTENCY_TABLE: "shipline-idempotency",
      },
      needs: ["config", "ledgerTable", "idempotencyTable"],
    });

    // Assert
    expect(environment).toEqual({
      eventBusName: "shipline",
      serviceName: "start-build",
      metricsNamespace: "ShiplineProd",
      config: { kind: "file", path: "shipline.config.yaml" },
      ledgerTable: "shipline-ledger",
      idempotencyTable: "shipline-idempotency",
    });
  });

  it("takes the configuration inline as JSON", () => {
    // Act
    const environment = readEnvironment({
      env: { EVENT_BUS_NAME: "shipline", CONFIG_JSON: '{"apps":[]}' },
      needs: ["config"],
    });

    // Assert
    expect(environment.config).toEqual({ kind: "json", json: '{"apps":[]}' });
  });

  it("names every missing or bad variable in one CONFIG_INVALID error", () => {
    // Arrange
    const env = { EVENT_BUS_NAME: "", CONFIG_JSON: "apps: []", PATH: "/usr/bin" };

    // Act
    const error = rejectionOf(() =>
      readEnvironment({ env, needs: ["config", "ledgerTable", "idempotencyTable"] }),
    );

    // Assert
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.retryable).toBe(false);
    expect(error.data.problems).toEqual([
      "EVENT_BUS_NAME: is set but empty",
      "CONFIG_JSON: is not a JSON object; give the configuration as one JSON object",
      "LEDGER_TABLE: is not set",
      "IDEMPOTENCY_TABLE: is not set",
    ]);
    expect(error.message).toContain("EVENT_BUS_NAME: is set but empty; CONFIG_JSON: ");
    expect(error.message).not.toContain("apps: []");
  });

  it("asks for one configuration source when the step needs configuration and none is set", () => {
    // Act
    const error = rejectionOf(() => readEnvironment({ env: {}, needs: ["config"] }));

    // Assert
    expect(error.data.problems).toEqual([
      "EVENT_BUS_NAME: is not set",
      "CONFIG_FILE: is not set; set CONFIG_FILE (a path in the bundle) or CONFIG_JSON",
    ]);
  });

  it("refuses two configuration sources at once", () => {
    // Act
    const error = rejectionOf(() =>
      readEnvironment({ env: { EVENT_BUS_NAME: "shipline", CONFIG_FILE: "a.yaml", CONFIG_JSON: "{}" } }),
    );

    // Assert
    expect(error.data.problems).toEqual([
      "CONFIG_JSON: is set together with CONFIG_FILE; set only one of them",
    ]);
  });

  it("reads process.env when no variables are given", () => {
    // Arrange
    const before = process.env[EnvName.EventBusName];
    process.env[EnvName.EventBusName] = "from-process";

    try {
      // Act
      const environment = readEnvironment();

      // Assert
      expect(environment.eventBusName).toBe("from-process");
    } finally {
      if (before === undefined) delete process.env[EnvName.EventBusName];
      else process.env[EnvName.EventBusName] = before;
    }
  });
});
