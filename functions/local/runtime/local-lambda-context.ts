import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";

/**
 * The Lambda context the local runtime passes to a step's handler, so that the same middy +
 * Powertools handler runs unchanged: a fresh request id per invocation and a generous remaining time.
 *
 * @example
 * ```ts
 * await handler(event, localLambdaContext("start-build"));
 * ```
 */
export function localLambdaContext(step: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `shipline-${step}`,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:shipline-${step}`,
    memoryLimitInMB: "512",
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/shipline-${step}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => 900_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
