import { App, type AppProps, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { ShiplineStack, type ShiplineStackProps } from "./stacks/shipline-stack.js";

/** What {@link createApp} builds. */
export interface ShiplineApp {
  readonly app: App;
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
  const app = new App(options.app);
  const stack = new ShiplineStack(app, "Shipline", {
    description: "Shipline: event-driven GitOps delivery (git push to a verified Argo CD deployment)",
    ...options.stack,
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
