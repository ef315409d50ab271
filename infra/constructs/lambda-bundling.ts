import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as nodejs from "aws-cdk-lib/aws-lambda-nodejs";

/** The repository's root: CDK runs esbuild there, and the aliases below are relative to it. */
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const require = createRequire(import.meta.url);

/**
 * Lets an ESM bundle load the CommonJS modules that some dependencies still `require` at run time.
 */
const REQUIRE_BANNER =
  "import { createRequire as __shiplineCreateRequire } from 'node:module'; const require = __shiplineCreateRequire(import.meta.url);";

/**
 * How a step function is traced in X-Ray.
 * - `active`: Lambda's active tracing records every invocation, and the AWS SDK hands the trace id
 *   on with each call (to the bus, and from it to the next step); the bundle carries no X-Ray SDK.
 * - `detailed`: also Powertools' tracer (the X-Ray SDK, about 120 KB and its async hooks at every
 *   cold start): a subsegment per AWS call, the cold start and the journey's `correlationId` as
 *   annotations, so that a trace can be found by correlation id.
 */
export type StepTracing = "active" | "detailed";

/** The tracing modes, for messages. */
export const STEP_TRACINGS: readonly StepTracing[] = ["active", "detailed"];

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

/** A path esbuild resolves from the project root, where CDK runs it (`./` keeps it a path, not a package). */
function fromRoot(file: string): string {
  return `./${path.relative(PROJECT_ROOT, file).split(path.sep).join("/")}`;
}

/** A file beside the one a package's `require` entry resolves to. */
function besideEntry(specifier: string, file: string): string {
  return fromRoot(path.join(path.dirname(require.resolve(specifier)), file));
}

/** The file a package path resolves to. */
function resolved(specifier: string): string {
  return fromRoot(require.resolve(specifier));
}

/**
 * The imports a step function's bundle takes from elsewhere than Node's resolution would (esbuild's
 * `alias`; the longest matching specifier wins), each measured by `npm run bench:lambda`:
 * - `yaml` and `isomorphic-git`: their ES module builds (`browser/`, `index.js`, plain JavaScript
 *   that runs on Node alike) instead of the CommonJS ones Node's `node` condition picks, which
 *   esbuild cannot tree-shake (yaml 115 → 98 KB, isomorphic-git 163 → 74 KB);
 * - `sha.js/sha1.js` (isomorphic-git's SHA-1): node:crypto, without sha.js's polyfills (22 KB);
 * - `pako` (isomorphic-git's zlib): pako's inflate, node:zlib's deflate (22 KB);
 * - `@aws-sdk/credential-provider-node`: the environment only, where Lambda puts the role's
 *   credentials and the SDK's default chain looks first (its other providers and their nested
 *   clients, about 90 KB, are never reached on Lambda);
 * - with `active` tracing, `@aws-lambda-powertools/tracer` (and its middleware): a tracer that
 *   does nothing, so the X-Ray SDK is not bundled (see {@link StepTracing}).
 *
 * @example
 * ```ts
 * await esbuild.build({ entryPoints: [entry], bundle: true, alias: lambdaAliases({ tracing: "active" }) });
 * ```
 */
export function lambdaAliases(options: { readonly tracing: StepTracing }): Record<string, string> {
  const shims = path.join(PROJECT_ROOT, "functions/lambda/shims");
  return {
    yaml: besideEntry("yaml", "../browser/index.js"),
    "isomorphic-git": besideEntry("isomorphic-git", "index.js"),
    "isomorphic-git/http/node": besideEntry("isomorphic-git/http/node", "index.js"),
    "sha.js/sha1.js": fromRoot(path.join(shims, "node-sha1.ts")),
    pako: fromRoot(path.join(shims, "pako-node-deflate.ts")),
    // The shim's own import of pako, which the alias above would otherwise send back to the shim.
    "pako/lib/inflate.js": resolved("pako/lib/inflate.js"),
    "@aws-sdk/credential-provider-node": fromRoot(path.join(shims, "env-credentials.ts")),
    ...(options.tracing === "active"
      ? {
          "@aws-lambda-powertools/tracer": fromRoot(path.join(shims, "untraced-tracer.ts")),
          "@aws-lambda-powertools/tracer/middleware": fromRoot(
            path.join(shims, "untraced-tracer-middleware.ts"),
          ),
        }
      : {}),
  };
}

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
 * {@link LAMBDA_BUNDLE} and {@link lambdaAliases} as `NodejsFunction` takes them, with the AWS SDK
 * bundled (the runtime's SDK lags behind; the bundle carries the versions the code was tested with).
 *
 * @example
 * ```ts
 * new nodejs.NodejsFunction(this, "Function", { entry, bundling: lambdaBundlingOptions({ tracing: "active" }) });
 * ```
 */
export function lambdaBundlingOptions(options: { readonly tracing: StepTracing }): nodejs.BundlingOptions {
  return {
    format: nodejs.OutputFormat.ESM,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    minify: LAMBDA_BUNDLE.minify,
    sourceMap: LAMBDA_BUNDLE.sourcemap,
    sourcesContent: LAMBDA_BUNDLE.sourcesContent,
    banner: LAMBDA_BUNDLE.banner,
    bundleAwsSDK: true,
    externalModules: [],
    esbuildArgs: {
      "--alias": Object.entries(lambdaAliases(options)).map(([from, to]) => `${from}=${to}`),
    },
  };
}
