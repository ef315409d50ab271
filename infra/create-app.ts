import path from "node:path";
import { App, type AppProps, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { CONFIG_FILE_NAME } from "../functions/adapters/local/config-file-loader.js";
import { readStepFunctionConfig } from "./constructs/step-function-config.js";
import { ShiplineStack, type ShiplineStackProps } from "./stacks/shipline-stack.js";

/** What {@link createApp} builds. */
export interface ShiplineApp {
  /** The app, with cdk-nag's AwsSolutions pack registered as a validation plugin. */
  readonly app: App;
  /** Shipline's stack. */
  readonly stack: ShiplineStack;
}

/**
 * Builds Shipline's CDK app: one environment-agnostic stack (no account or region, so synthesis
 * makes no AWS call and needs no credentials) checked by cdk-nag's AwsSolutions pack on every
 * synthesis.
 *
 * @example
 * ```ts
 * const { app } = createApp();
 * app.synth();
 * ```
 */
export function createApp(
  options: { readonly app?: AppProps; readonly stack?: ShiplineStackProps } = {},
): ShiplineApp {
  return createStack(new App(options.app), options.stack);
}

/** The context key naming the configuration file `cdk synth` / `cdk deploy` deploy (cdk.json). */
export const CONFIG_FILE_CONTEXT = "shipline:configFile";

/**
 * Builds Shipline's CDK app like {@link createApp}, with the configuration file named by the
 * `shipline:configFile` context (`cdk synth -c shipline:configFile=path`; default
 * `shipline.config.yaml`, relative to the working directory), so that the stack deploys steps 1 to 4
 * for its apps. Throws the configuration's `CONFIG_*` error when the file is missing or invalid.
 *
 * @example
 * ```ts
 * const { app } = await createAppFromContext();
 * app.synth();
 * ```
 */
export async function createAppFromContext(
  options: { readonly app?: AppProps; readonly stack?: ShiplineStackProps } = {},
): Promise<ShiplineApp> {
  const app = new App(options.app);
  const file: unknown = app.node.tryGetContext(CONFIG_FILE_CONTEXT);
  const config = await readStepFunctionConfig(
    path.resolve(typeof file === "string" && file !== "" ? file : CONFIG_FILE_NAME),
  );
  return createStack(app, { config, ...options.stack });
}

function createStack(app: App, props: ShiplineStackProps | undefined): ShiplineApp {
  const stack = new ShiplineStack(app, "Shipline", {
    description: "Shipline: event-driven GitOps delivery (git push to a verified Argo CD deployment)",
    ...props,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
