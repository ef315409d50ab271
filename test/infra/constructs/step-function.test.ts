import { readdirSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { App, Duration, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as events from "aws-cdk-lib/aws-events";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import * as z from "zod";
import {
  ENVIRONMENT_LIMIT_BYTES,
  environmentBytes,
  StepFunction,
  TRACING_CONTEXT,
} from "../../../infra/constructs/step-function.js";
import {
  type StepFunctionConfig,
  stepFunctionConfigOf,
} from "../../../infra/constructs/step-function-config.js";
import { thrown } from "../thrown.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureText = readFileSync(path.resolve(here, "../../fixtures/buildspec/shipline.config.yaml"), "utf8");
const INLINE = lambda.Code.fromInline("exports.handler = async () => {};");

/** The fixture configuration with `extra` more apps, to outgrow Lambda's environment. */
function configWithApps(extra: number): StepFunctionConfig {
  const document = z
    .object({ apps: z.array(z.record(z.string(), z.unknown())) })
    .loose()
    .parse(parse(fixtureText));
  for (let index = 0; index < extra; index += 1) {
    document.apps.push({
      name: `service-${index}`,
      source: { repo: `https://github.com/acme/service-${index}` },
      image: { repository: `service-${index}` },
      deploy: { staging: { kind: "marker", file: `envs/staging/service-${index}.yaml` } },
    });
  }
  return stepFunctionConfigOf(stringify(document));
}

let outdir: string;
let app: App;
let stack: Stack;
let eventBus: events.EventBus;

beforeEach(async () => {
  outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-step-function-"));
  app = new App({ outdir });
  stack = new Stack(app, "Test");
  eventBus = new events.EventBus(stack, "Bus");
});

afterEach(async () => {
  await rm(outdir, { recursive: true, force: true });
});

function variablesOf(step: StepFunction): Record<string, unknown> {
  const functions = Template.fromStack(stack).findResources("AWS::Lambda::Function");
  const fn = functions[stack.getLogicalId(step.fn.node.defaultChild as lambda.CfnFunction)];
  return fn?.Properties.Environment.Variables;
}

// Synthesis and a real esbuild run are slow on a busy machine; the limit only stops a hung bundler.
describe("StepFunction", { timeout: 120_000 }, () => {
  it("puts a configuration that fits Lambda's environment into CONFIG_JSON", () => {
    // Arrange
    const config = stepFunctionConfigOf(fixtureText);

    // Act
    const step = new StepFunction(stack, "Step", { step: "start-build", eventBus, config, code: INLINE });

    // Assert
    expect(step.configDelivery).toBe("json");
    expect(variablesOf(step)).toMatchObject({
      CONFIG_JSON: config.documentJson,
      POWERTOOLS_SERVICE_NAME: "start-build",
    });
    expect(variablesOf(step).CONFIG_FILE).toBeUndefined();
  });

  it("moves a configuration too large for the environment into the bundle and names it in CONFIG_FILE", () => {
    // Arrange
    const config = configWithApps(40);

    // Act
    const step = new StepFunction(stack, "Step", { step: "start-build", eventBus, config, code: INLINE });

    // Assert
    expect(Buffer.byteLength(config.documentJson)).toBeGreaterThan(ENVIRONMENT_LIMIT_BYTES);
    expect(step.configDelivery).toBe("file");
    expect(variablesOf(step).CONFIG_FILE).toBe("shipline.config.yaml");
    expect(variablesOf(step).CONFIG_JSON).toBeUndefined();
  });

  it("counts a value CloudFormation fills in as 256 bytes of the environment", () => {
    // Act
    const bytes = environmentBytes({ EVENT_BUS_NAME: eventBus.eventBusName, A: "bc" });

    // Assert
    expect(bytes).toBe("EVENT_BUS_NAME".length + 256 + 3);
  });

  it("refuses an environment Lambda would refuse, naming the size", () => {
    // Act
    const error = thrown(
      () =>
        new StepFunction(stack, "Step", {
          step: "build-status",
          eventBus,
          code: INLINE,
          environment: { LARGE: "x".repeat(ENVIRONMENT_LIMIT_BYTES) },
        }),
    );

    // Assert
    expect(error.code).toBe("CONSTRUCT_PROPS_INVALID");
    expect(error.message).toMatch(
      /Test\/Step: the function's environment would take about \d+ bytes, over Lambda's 4096/,
    );
  });

  it("keeps room for variables declared to come later, moving the configuration to a file when they would not fit", () => {
    // Arrange
    const config = stepFunctionConfigOf(fixtureText);
    const later = Array.from({ length: 8 }, (_, index) => `LATER_${index}`);

    // Act
    const without = new StepFunction(stack, "Without", {
      step: "start-build",
      eventBus,
      config,
      code: INLINE,
    });
    const withLater = new StepFunction(stack, "WithLater", {
      step: "start-build",
      eventBus,
      config,
      code: INLINE,
      laterEnvironment: later,
    });
    for (const name of later) withLater.addEnvironment(name, eventBus.eventBusArn);

    // Assert
    expect(without.configDelivery).toBe("json");
    expect(withLater.configDelivery).toBe("file");
    expect(variablesOf(withLater)).toMatchObject({
      CONFIG_FILE: "shipline.config.yaml",
      LATER_7: stack.resolve(eventBus.eventBusArn),
    });
  });

  it("adds a variable after construction, and refuses one that would take the environment over Lambda's limit", () => {
    // Arrange
    const step = new StepFunction(stack, "Step", { step: "build-status", eventBus, code: INLINE });
    step.addEnvironment("SMALL", "value");

    // Act
    const error = thrown(() => step.addEnvironment("LARGE", "x".repeat(ENVIRONMENT_LIMIT_BYTES)));

    // Assert
    expect(variablesOf(step).SMALL).toBe("value");
    expect(variablesOf(step).LARGE).toBeUndefined();
    expect(error.code).toBe("CONSTRUCT_PROPS_INVALID");
    expect(error.message).toMatch(
      /Test\/Step: the function's environment would take about \d+ bytes, over Lambda's 4096/,
    );
  });

  it("refuses a timeout Lambda does not allow, saying what it allows", () => {
    // Act
    const error = thrown(
      () =>
        new StepFunction(stack, "Step", {
          step: "build-status",
          eventBus,
          code: INLINE,
          timeout: Duration.minutes(20),
        }),
    );

    // Assert
    expect(error.code).toBe("CONSTRUCT_PROPS_INVALID");
    expect(error.message).toContain("timeout is 20 minutes; Lambda allows 1 second to 15 minutes");
  });

  it("traces actively without the X-Ray SDK unless the shipline:tracing context asks for detailed tracing", () => {
    // Arrange
    const detailedApp = new App({ context: { [TRACING_CONTEXT]: "detailed" } });
    const detailedStack = new Stack(detailedApp, "Detailed");
    const detailedBus = new events.EventBus(detailedStack, "Bus");

    // Act
    const plain = new StepFunction(stack, "Plain", { step: "ledger", eventBus, code: INLINE });
    const detailed = new StepFunction(detailedStack, "Step", {
      step: "ledger",
      eventBus: detailedBus,
      code: INLINE,
    });
    const chosen = new StepFunction(stack, "Chosen", {
      step: "ledger",
      eventBus,
      code: INLINE,
      tracing: "detailed",
    });

    // Assert
    expect([plain.tracing, detailed.tracing, chosen.tracing]).toEqual(["active", "detailed", "detailed"]);
    Template.fromStack(stack).allResourcesProperties("AWS::Lambda::Function", {
      TracingConfig: { Mode: "Active" },
    });
  });

  it("refuses a shipline:tracing context other than active or detailed, saying how to set it", () => {
    // Arrange
    const badApp = new App({ context: { [TRACING_CONTEXT]: "xray" } });
    const badStack = new Stack(badApp, "Bad");
    const badBus = new events.EventBus(badStack, "Bus");

    // Act
    const error = thrown(
      () => new StepFunction(badStack, "Step", { step: "ledger", eventBus: badBus, code: INLINE }),
    );

    // Assert
    expect(error.code).toBe("CONSTRUCT_PROPS_INVALID");
    expect(error.message).toBe(
      "Bad/Step: the context shipline:tracing is \"xray\"; set it to 'active' or 'detailed' (cdk deploy -c shipline:tracing=detailed), or leave it out for 'active'",
    );
  });

  it("bundles a real entry with esbuild into a runnable ESM bundle carrying its configuration file", async () => {
    // Arrange
    const config = configWithApps(40);
    new StepFunction(stack, "Step", {
      step: "start-build",
      eventBus,
      config,
      entry: path.resolve(here, "../fixtures/bundle-entry.ts"),
    });

    // Act
    app.synth();
    const assets = readdirSync(outdir).filter((name) => name.startsWith("asset."));
    const bundleDir = path.join(outdir, assets[0] ?? "missing");
    const files = readdirSync(bundleDir).sort();
    const saved = process.env.CONFIG_FILE;
    process.env.CONFIG_FILE = "shipline.config.yaml";
    const bundle: unknown = await import(pathToFileURL(path.join(bundleDir, "index.mjs")).href);
    const result = await z.object({ handler: z.function() }).parse(bundle).handler();
    if (saved === undefined) delete process.env.CONFIG_FILE;
    else process.env.CONFIG_FILE = saved;

    // Assert
    expect(assets).toHaveLength(1);
    expect(files).toEqual(["index.mjs", "index.mjs.map", "shipline.config.yaml"]);
    expect(readFileSync(path.join(bundleDir, "index.mjs"), "utf8")).not.toMatch(/from\s*"@aws-sdk\//);
    expect(result).toEqual({ apps: config.config.apps.map((entry) => entry.name), region: "eu-west-1" });
  });
});
