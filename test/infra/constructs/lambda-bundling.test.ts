import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Metafile } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import {
  esbuildTargetOf,
  LAMBDA_BUNDLE,
  lambdaAliases,
  lambdaBundlingOptions,
  type StepTracing,
} from "../../../infra/constructs/lambda-bundling.js";
import { handler as sourceHandler } from "../fixtures/lambda-aliases-entry.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const ENTRY = path.resolve(here, "../fixtures/lambda-aliases-entry.ts");
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE",
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  AWS_SESSION_TOKEN: "session-token",
};

let outdir: string;

/** Bundles the fixture as the step functions are bundled; answers the bundle's file and its inputs. */
async function bundled(tracing: StepTracing): Promise<{ file: string; inputs: string[] }> {
  const file = path.join(outdir, `${tracing}.mjs`);
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: "node",
    target: esbuildTargetOf("nodejs24.x"),
    outfile: file,
    format: LAMBDA_BUNDLE.format,
    mainFields: [...LAMBDA_BUNDLE.mainFields],
    minify: LAMBDA_BUNDLE.minify,
    banner: { js: LAMBDA_BUNDLE.banner },
    alias: lambdaAliases({ tracing }),
    metafile: true,
    logLevel: "error",
  });
  return { file, inputs: Object.keys(inputsOf(result.metafile)) };
}

function inputsOf(metafile: Metafile): Record<string, unknown> {
  return Object.values(metafile.outputs).find((output) => output.entryPoint !== undefined)?.inputs ?? {};
}

/** Runs a handler with the role's credentials in the environment, as Lambda gives them. */
async function withCredentials<T>(act: () => Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(CREDENTIALS).map((name) => [name, process.env[name]]));
  Object.assign(process.env, CREDENTIALS);
  try {
    return await act();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

// Real esbuild runs and git work in a temporary directory; the limit only stops a hung bundler.
describe("the step functions' bundling", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-lambda-bundling-"));
  });

  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it("answers from the bundle exactly as from the source: git through its pack, yaml, the role's credentials, middy with the tracer", async () => {
    // Arrange
    const { file } = await bundled("active");
    const bundle = z.object({ handler: z.function() }).parse(await import(pathToFileURL(file).href));

    // Act
    const fromBundle = await withCredentials(async () => bundle.handler());
    const fromSource = await withCredentials(sourceHandler);

    // Assert
    expect(fromBundle).toEqual(fromSource);
    expect(fromBundle).toMatchObject({
      fromPack: "# the image\nimage:\n  tag: 1.1.0 # pinned\n",
      accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID,
      traced: "handled",
    });
  });

  it("takes the ES module builds of yaml and isomorphic-git, node:crypto's SHA-1, node:zlib's deflate and only the environment's credentials", async () => {
    // Act
    const { inputs } = await bundled("active");

    // Assert
    const has = (path: string) => inputs.some((input) => input.includes(path));
    expect(has("node_modules/isomorphic-git/index.js")).toBe(true);
    expect(has("node_modules/yaml/browser/")).toBe(true);
    expect(has("functions/lambda/shims/node-sha1.ts")).toBe(true);
    expect(has("node_modules/pako/lib/inflate.js")).toBe(true);
    const left = inputs.filter((input) =>
      /isomorphic-git\/index\.cjs|yaml\/dist\/|sha\.js\/|pako\/lib\/deflate|credential-provider-(node|ini|sso)|nested-clients/.test(
        input,
      ),
    );
    expect(left).toEqual([]);
  });

  it("bundles the X-Ray SDK with detailed tracing only", async () => {
    // Act
    const active = await bundled("active");
    const detailed = await bundled("detailed");

    // Assert
    const has = (inputs: readonly string[], path: string) => inputs.some((input) => input.includes(path));
    expect(has(active.inputs, "node_modules/aws-xray-sdk-core/")).toBe(false);
    expect(has(active.inputs, "functions/lambda/shims/untraced-tracer.ts")).toBe(true);
    expect(has(detailed.inputs, "node_modules/aws-xray-sdk-core/")).toBe(true);
    expect(has(detailed.inputs, "functions/lambda/shims/untraced-tracer.ts")).toBe(false);
  });

  it("hands CDK the same aliases as esbuild arguments, relative to the project root", () => {
    // Act
    const options = lambdaBundlingOptions({ tracing: "active" });

    // Assert
    expect(options.esbuildArgs?.["--alias"]).toEqual(
      Object.entries(lambdaAliases({ tracing: "active" })).map(([from, to]) => `${from}=${to}`),
    );
    for (const to of Object.values(lambdaAliases({ tracing: "detailed" }))) expect(to).toMatch(/^\.\//);
    expect(options.bundleAwsSDK).toBe(true);
  });

  it("targets the Node.js version of the function's runtime", () => {
    // Act
    const targets = ["nodejs22.x", "nodejs24.x"].map(esbuildTargetOf);

    // Assert
    expect(targets).toEqual(["node22", "node24"]);
  });
});
