import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { App } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { parse, stringify } from "yaml";
import * as z from "zod";
import { stepFunctionConfigOf } from "../../infra/constructs/step-function-config.js";
import { ShiplineStack } from "../../infra/stacks/shipline-stack.js";

/** A synthesized stack of the buildspec fixture's configuration with some top-level keys replaced. */
export interface StackWithConfig {
  readonly stack: ShiplineStack;
  readonly template: Template;
  /** The statements of the policies attached to a role (by its logical id). */
  statementsOf(roleLogicalId: string): unknown[];
  /** The logical id of a construct's default child. */
  logicalIdOf(construct: { node: { defaultChild?: unknown } } | undefined): string;
  /** Removes the synthesis directory. */
  cleanUp(): Promise<void>;
}

/**
 * Synthesizes the stack for `test/fixtures/buildspec/shipline.config.yaml` with `keys` set on top
 * (e.g. `registries`), every function's code inline.
 *
 * @example
 * ```ts
 * const synth = await stackWithConfig({ registries: [{ kind: "oci", url: "https://ghcr.io" }] });
 * ```
 */
export async function stackWithConfig(keys: Readonly<Record<string, unknown>>): Promise<StackWithConfig> {
  const outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-cdk-"));
  const text = await readFile(
    path.resolve(import.meta.dirname, "../fixtures/buildspec/shipline.config.yaml"),
    "utf8",
  );
  const document = z.looseObject({}).parse(parse(text));
  const stack = new ShiplineStack(new App({ outdir, builtinCloudFormationValidation: false }), "Shipline", {
    env: { account: "123456789012", region: "eu-west-1" },
    config: stepFunctionConfigOf(stringify({ ...document, ...keys })),
    functionCode: lambda.Code.fromInline("exports.handler = async () => {};"),
  });
  const template = Template.fromStack(stack);
  return {
    stack,
    template,
    statementsOf(roleLogicalId) {
      const policies = template.findResources("AWS::IAM::Policy", {
        Properties: { Roles: Match.arrayWith([{ Ref: roleLogicalId }]) },
      });
      return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement);
    },
    logicalIdOf(construct) {
      const child = construct?.node.defaultChild;
      if (child === undefined) throw new Error("no such construct");
      return stack.getLogicalId(child as never);
    },
    cleanUp: () => rm(outdir, { recursive: true, force: true }),
  };
}
