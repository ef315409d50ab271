// Bundled in place of `@aws-lambda-powertools/tracer/middleware` when a step function's tracing is
// `active` (see infra/constructs/lambda-bundling.ts and untraced-tracer.ts).
import type { captureLambdaHandler as powertoolsCapture } from "@aws-lambda-powertools/tracer/middleware";

/**
 * Powertools' tracer middleware as it behaves with tracing disabled: a middy middleware whose one
 * hook does nothing (middy refuses a middleware without any).
 *
 * @example
 * ```ts
 * middy().use(captureLambdaHandler(tracer)).handler(handle);
 * ```
 */
export const captureLambdaHandler: typeof powertoolsCapture = () => ({ before: () => {} });
