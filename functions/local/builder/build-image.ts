import type { ChildProcess } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { BuildLog } from "./build-log.js";
import { readBuildContext } from "./image/build-context.js";
import { buildahBudArgs, buildahPushArgs } from "./image/buildah.js";
import { packImage } from "./image/pack-image.js";
import { RegistryClient } from "./image/registry-client.js";
import { runCommand } from "./run-command.js";

/** How images are built: buildah when usable (else packed), always packed, or always buildah. */
export type ImageBuilderMode = "auto" | "pack" | "buildah";

/** Options of {@link buildImage}. */
export interface BuildImageOptions {
  /** The checkout. */
  readonly sourceDir: string;
  /** The Dockerfile and context, relative to the checkout. */
  readonly dockerfile: string;
  readonly context: string;
  /** `host:port/name`: the repository to push to (the registry is reached over plain HTTP). */
  readonly repositoryUri: string;
  readonly tag: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly log: BuildLog;
  readonly env: Readonly<Record<string, string>>;
  readonly mode: ImageBuilderMode;
  /** Tells whether buildah can run here (on PATH and working). */
  readonly buildahUsable: () => Promise<boolean>;
  readonly track?: (child: ChildProcess) => () => void;
}

/** A built image waiting for POST_BUILD to push it. */
export interface PreparedImage {
  readonly method: "buildah" | "pack";
  /** Pushes the image and resolves with its manifest digest. */
  push(): Promise<string>;
}

/**
 * The image part of the build contract (BUILD, then POST_BUILD pushes): builds the Dockerfile with
 * `buildah bud` when buildah is usable, falling back to the daemonless packer when it is not or when
 * buildah fails (e.g. a base image it cannot pull offline); the packer refuses what it cannot do
 * (`RUN`) with a `DOCKERFILE_UNSUPPORTED` naming the line and the fix.
 *
 * @example
 * ```ts
 * const image = await buildImage({ sourceDir, dockerfile: "Dockerfile", context: ".", repositoryUri, tag, labels, log, env, mode: "auto", buildahUsable });
 * const digest = await image.push();
 * ```
 */
export async function buildImage(options: BuildImageOptions): Promise<PreparedImage> {
  const { log } = options;
  const slash = options.repositoryUri.indexOf("/");
  const host = options.repositoryUri.slice(0, slash);
  const repository = options.repositoryUri.slice(slash + 1);
  if (slash < 1 || repository === "") {
    throw new ShiplineError({
      code: "BUILD_CONFIG_INVALID",
      message: `SHIPLINE_IMAGE_REPOSITORY_URI '${options.repositoryUri}' has no registry host; start the build with the repository's full URI, e.g. 127.0.0.1:5000/demo`,
      data: { repositoryUri: options.repositoryUri },
    });
  }
  const dockerfile = path.resolve(options.sourceDir, options.dockerfile);
  const contextDir = path.resolve(options.sourceDir, options.context);
  const useBuildah =
    options.mode === "buildah" || (options.mode === "auto" && (await options.buildahUsable()));
  if (useBuildah) {
    const imageRef = `${options.repositoryUri}:${options.tag}`;
    log.line(
      `Running command buildah ${buildahBudArgs({ dockerfile, contextDir, imageRef, labels: options.labels }).join(" ")}`,
    );
    const built = await runCommand({
      command: "buildah",
      args: buildahBudArgs({ dockerfile, contextDir, imageRef, labels: options.labels }),
      cwd: contextDir,
      env: options.env,
      output: (chunk) => log.output(chunk),
      ...(options.track === undefined ? {} : { track: options.track }),
    });
    if (built.exitCode === 0) return { method: "buildah", push: () => pushWithBuildah(options, imageRef) };
    if (options.mode === "buildah")
      throw imageFailure(`buildah bud exited ${built.exitCode}; see the build log`);
    log.line("buildah could not build the image; packing it without a daemon instead");
  }
  const text = await readFile(dockerfile, "utf8").catch(() => {
    throw imageFailure(
      `there is no Dockerfile at '${options.dockerfile}' in the checkout; add it or set build.dockerfile`,
    );
  });
  const client = new RegistryClient(host);
  const context = await readBuildContext(contextDir);
  const image = await packImage({
    dockerfile: text,
    context,
    labels: options.labels,
    resolveBase: (reference) => client.resolveBase(reference),
  });
  for (const note of image.notes) log.line(note);
  log.line(
    `Packed image ${image.manifest.descriptor.digest} (${image.layers.length} layer(s)) without a daemon`,
  );
  return {
    method: "pack",
    push: async () => {
      log.line(`Pushing ${options.repositoryUri}:${options.tag}`);
      return client.push({ repository, tag: options.tag, image });
    },
  };
}

async function pushWithBuildah(options: BuildImageOptions, imageRef: string): Promise<string> {
  const digestFile = path.join(options.sourceDir, "..", "image.digest");
  options.log.line(`Running command buildah ${buildahPushArgs(imageRef, digestFile).join(" ")}`);
  const pushed = await runCommand({
    command: "buildah",
    args: buildahPushArgs(imageRef, digestFile),
    cwd: options.sourceDir,
    env: options.env,
    output: (chunk) => options.log.output(chunk),
    ...(options.track === undefined ? {} : { track: options.track }),
  });
  if (pushed.exitCode !== 0) throw imageFailure(`buildah push exited ${pushed.exitCode}; see the build log`);
  return (await readFile(digestFile, "utf8")).trim();
}

function imageFailure(message: string): ShiplineError {
  return new ShiplineError({ code: "IMAGE_BUILD_FAILED", message });
}
