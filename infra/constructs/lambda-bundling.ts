import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";

/**
 * Lets an ESM bundle load the CommonJS modules that some dependencies still `require` at run time.
 */
const REQUIRE_BANNER =
  "import { createRequire as __shiplineCreateRequire } from 'node:module'; const require = __shiplineCreateRequire(import.meta.url);";

/**
 * How every step function is bundled, in esbuild's terms: the one source of the settings that
 * `StepFunction` hands to CDK's `NodejsFunction` and that `npm run bench:lambda` builds with, so
 * that the bench measures what is deployed.
 */
export const LAMBDA_BUNDLE = {
  /** ESM, so that the SDK and Powertools are tree-shaken from their ES modules. */
  format: "esm",
  /** The ES module build of a package before its CommonJS one. */
  mainFields: ["module", "main"],
  minify: true,
  sourcemap: true,
  sourcesContent: false,
  banner: REQUIRE_BANNER,
} as const;

/**
 * The esbuild target of a Lambda runtime, as CDK derives it (`nodejs24.x` → `node24`).
 *
 * @example
 * ```ts
 * esbuildTargetOf("nodejs24.x"); // "node24"
 * ```
 */
export function esbuildTargetOf(runtimeName: string): string {
  return `node${runtimeName.replace(/^nodejs/, "").replace(/\.x$/, "")}`;
}

/**
 * {@link LAMBDA_BUNDLE} as `NodejsFunction` takes it, with the AWS SDK bundled (the runtime's SDK
 * lags behind; the bundle carries the versions the code was tested with).
 *
 * @example
 * ```ts
 * new nodejs.NodejsFunction(this, "Function", { entry, bundling: lambdaBundlingOptions() });
 * ```
 */
export function lambdaBundlingOptions(): nodejs.BundlingOptions {
  return {
    format: nodejs.OutputFormat.ESM,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    minify: LAMBDA_BUNDLE.minify,
    sourceMap: LAMBDA_BUNDLE.sourcemap,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    banner: LAMBDA_BUNDLE.banner,
    bundleAwsSDK: true,
    externalModules: [],
  };
}
