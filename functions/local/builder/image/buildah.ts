/** What buildah is asked to build and push. */
export interface BuildahRequest {
  /** The Dockerfile's absolute path. */
  readonly dockerfile: string;
  /** The build context's absolute path. */
  readonly contextDir: string;
  /** `host/repository:tag`. */
  readonly imageRef: string;
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * The `buildah bud` arguments of the build contract: the Dockerfile, the tag, every label (the
 * revision among them), timestamps fixed at 0 for reproducible layers, plain HTTP to the local
 * registry for the base image.
 *
 * @example
 * ```ts
 * spawn("buildah", buildahBudArgs({ dockerfile, contextDir, imageRef, labels }));
 * ```
 */
export function buildahBudArgs(request: BuildahRequest): string[] {
  return [
    "bud",
    "--file",
    request.dockerfile,
    "--tag",
    request.imageRef,
    "--timestamp",
    "0",
    "--tls-verify=false",
    ...Object.entries(request.labels)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .flatMap(([name, value]) => ["--label", `${name}=${value}`]),
    request.contextDir,
  ];
}

/**
 * The `buildah push` arguments: to the registry of the reference over plain HTTP, writing the pushed
 * manifest digest to `digestFile`.
 *
 * @example
 * ```ts
 * spawn("buildah", buildahPushArgs("127.0.0.1:5000/demo:1.0.0-0123456", digestFile));
 * ```
 */
export function buildahPushArgs(imageRef: string, digestFile: string): string[] {
  return ["push", "--tls-verify=false", "--digestfile", digestFile, imageRef, `docker://${imageRef}`];
}
