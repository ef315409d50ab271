// Bundled in place of `@aws-lambda-powertools/tracer` when a step function's tracing is `active`
// (see infra/constructs/lambda-bundling.ts): Lambda records the invocation itself and the AWS SDK
// hands the trace id on to the bus, so the X-Ray SDK (about 120 KB, and its async hooks at every
// cold start) stays out of the bundle. Not imported by any code: only the bundler's alias names it.
import type {
  CaptureLambdaHandlerOptions,
  TracerInterface,
  TracerOptions,
} from "@aws-lambda-powertools/tracer/types";

/**
 * Powertools' `Tracer` as it behaves with tracing disabled: clients are returned as they are,
 * annotations and metadata are dropped, decorators leave the method alone. It implements the whole
 * `TracerInterface`, so a bundle that calls any of it keeps working.
 *
 * @example
 * ```ts
 * const tracer = new Tracer({ serviceName: "promote" });
 * const client = tracer.captureAWSv3Client(new SQSClient({})); // the same client
 * ```
 */
export class Tracer implements TracerInterface {
  // biome-ignore lint/complexity/noUselessConstructor: it takes Powertools' options, so `new Tracer(options)` calls this shim as they call Powertools' Tracer
  constructor(_options?: TracerOptions) {}

  addErrorAsMetadata(_error: Error, _remote?: boolean): void {}

  addResponseAsMetadata(_data?: unknown, _methodName?: string): void {}

  addServiceNameAnnotation(): void {}

  annotateColdStart(): void {}

  captureAWS<T>(aws: T): T {
    return aws;
  }

  captureAWSv3Client<T>(service: T): T {
    return service;
  }

  captureAWSClient<T>(service: T): T {
    return service;
  }

  captureLambdaHandler(
    _options?: CaptureLambdaHandlerOptions,
  ): ReturnType<TracerInterface["captureLambdaHandler"]> {
    return () => {};
  }

  captureMethod(): ReturnType<TracerInterface["captureMethod"]> {
    return () => {};
  }

  getSegment(): ReturnType<TracerInterface["getSegment"]> {
    return undefined;
  }

  getRootXrayTraceId(): string | undefined {
    return undefined;
  }

  isTraceSampled(): boolean {
    return false;
  }

  isTracingEnabled(): boolean {
    return false;
  }

  putAnnotation(_key: string, _value: string | number | boolean): void {}

  putMetadata(_key: string, _value: unknown, _namespace?: string): void {}

  setSegment(_segment: Parameters<TracerInterface["setSegment"]>[0]): void {}
}
