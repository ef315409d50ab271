import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Template } from "aws-cdk-lib/assertions";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { StepFunction } from "../../infra/constructs/step-function.js";
import { CONFIG_FILE_CONTEXT, createAppFromContext, type ShiplineApp } from "../../infra/create-app.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const AWS_EXAMPLE = path.join(root, "examples/aws/shipline.config.yaml");
const INLINE = lambda.Code.fromInline("exports.handler = async () => {};");

const statement = z.object({
  Action: z.union([z.string(), z.array(z.string())]),
  Resource: z.unknown(),
});
const policy = z.object({
  Properties: z.object({
    PolicyDocument: z.object({ Statement: z.array(statement) }),
    Roles: z.array(z.unknown()),
  }),
});

let outdir: string;
let built: ShiplineApp;

/** Each step function's DynamoDB actions, by table name (`idempotency`, `images`, `state`, `ledger`). */
function dynamoActions(): Record<string, Record<string, string[]>> {
  const { stack } = built;
  const tables: Record<string, dynamodb.ITable | undefined> = {
    idempotency: stack.commitToImage?.idempotencyTable.table,
    images: stack.commitToImage?.imagesTable.table,
    state: stack.promote?.stateTable,
    ledger: stack.ledger?.table,
  };
  const tableOf = (resource: unknown): string => {
    const arn = JSON.stringify(resource);
    const found = Object.entries(tables).find(
      ([, table]) => table && arn === JSON.stringify(stack.resolve(table.tableArn)),
    );
    return found?.[0] ?? arn;
  };
  const policies = Object.values(Template.fromStack(stack).findResources("AWS::IAM::Policy")).map((raw) =>
    policy.parse(raw),
  );
  const result: Record<string, Record<string, string[]>> = {};
  for (const step of stack.node
    .findAll()
    .filter((node): node is StepFunction => node instanceof StepFunction)) {
    const role = JSON.stringify(stack.resolve(step.role.roleName));
    const byTable: Record<string, string[]> = {};
    for (const { Properties } of policies) {
      if (!Properties.Roles.some((ref) => JSON.stringify(ref) === role)) continue;
      for (const { Action, Resource } of Properties.PolicyDocument.Statement) {
        const actions = (Array.isArray(Action) ? Action : [Action]).filter((action) =>
          action.startsWith("dynamodb:"),
        );
        if (actions.length === 0) continue;
        for (const resource of Array.isArray(Resource) ? Resource : [Resource]) {
          const table = tableOf(resource);
          byTable[table] = [...new Set([...(byTable[table] ?? []), ...actions])].sort();
        }
      }
    }
    if (Object.keys(byTable).length > 0) result[path.basename(step.entry, ".ts")] = byTable;
  }
  return result;
}

// Synthesis of a whole stack is slow on a busy machine; the limit only stops a hung synthesis.
describe("DynamoDB grants of the step functions", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-dynamodb-grants-"));
    built = await createAppFromContext({
      app: { outdir, context: { [CONFIG_FILE_CONTEXT]: AWS_EXAMPLE } },
      stack: { functionCode: INLINE },
    });
    built.app.synth();
  }, 240_000);

  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it("lets each function send only the DynamoDB actions its document store calls, on its own tables", () => {
    // Act
    const granted = dynamoActions();

    // Assert
    expect(granted).toEqual({
      webhook: { idempotency: ["dynamodb:GetItem", "dynamodb:PutItem"] },
      "start-build": { idempotency: ["dynamodb:GetItem", "dynamodb:PutItem"] },
      "build-status": { idempotency: ["dynamodb:GetItem", "dynamodb:PutItem"] },
      "image-pushed": { images: ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"] },
      "image-sweep": { images: ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"] },
      "scan-gate": { images: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"] },
      promote: {
        images: ["dynamodb:GetItem"],
        state: ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"],
      },
      ledger: { ledger: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"] },
      notify: { ledger: ["dynamodb:Query"] },
    });
  });

  it("grants no Scan, batch, transaction, UpdateItem or stream action to any role of the stack", () => {
    // Act
    const broad = Object.values(Template.fromStack(built.stack).findResources("AWS::IAM::Policy"))
      .flatMap((raw) => policy.parse(raw).Properties.PolicyDocument.Statement)
      .flatMap(({ Action }) => (Array.isArray(Action) ? Action : [Action]))
      .filter((action) =>
        /^dynamodb:(Scan|Batch|Transact|UpdateItem|GetRecords|GetShardIterator|DescribeStream|ListStreams|ConditionCheckItem|\*)/.test(
          action,
        ),
      );

    // Assert
    expect(broad).toEqual([]);
  });
});
