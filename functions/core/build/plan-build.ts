import { createHash } from "node:crypto";
import type { AppConfig } from "../config/app.js";
import { isManagedBuild } from "../config/build.js";
import { splitImageRepository } from "../config/image-repository.js";
import type { CommitPushed } from "../contracts/events/commit-pushed.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { StoreKey } from "../ports/document-store.js";
import { type BuildTag, renderBuildTag } from "./build-tag.js";
import { BuildVariable, type BuildVariableName } from "./build-variable.js";
import { managedBuildSourceOf } from "./managed-build-source.js";

/** Everything needed to start one app's build for one push. */
export interface BuildPlan {
  /** The app's name. */
  readonly app: string;
  /** The commit to build (the branch head, or the commit an annotated tag points at). */
  readonly sourceVersion: string;
  /** True when the app's project has no source and its buildspec fetches the commit (see `managedBuildSourceOf`). */
  readonly sourceFetchedByBuild: boolean;
  /** The image repository as configured (`demo`, or a full repository). */
  readonly imageRepository: string;
  /** The repository to push to, with its registry host. */
  readonly imageRepositoryUri: string;
  /** The image tag, or the template the build completes. */
  readonly tag: BuildTag;
  /** Environment variables for the build (names from {@link BuildVariable}). */
  readonly environment: Readonly<Partial<Record<BuildVariableName, string>>>;
  /**
   * SHA-256 (64 hex characters) of the journey's correlation id and the app: the same push of the
   * same app always yields the same token, so a start repeated within CodeBuild's five-minute
   * idempotency window starts no second build.
   */
  readonly idempotencyToken: string;
  /** The key of the record that remembers the start beyond those five minutes. */
  readonly recordKey: StoreKey;
}

/** Options of {@link planBuild}. */
export interface PlanBuildOptions {
  /** The app to build (one of `selectApps`' selection). */
  readonly app: AppConfig;
  /** The push. */
  readonly push: CommitPushed;
  /**
   * The registry host of Shipline-managed (bare) image repositories, e.g.
   * `123456789012.dkr.ecr.eu-west-1.amazonaws.com` or the local registry's `127.0.0.1:5000`.
   * @default - none: a bare repository is then an error
   */
  readonly imageRegistry?: string;
  /** The build number for `{build}`. @default - left for the build to fill in */
  readonly buildNumber?: number;
  /** The version for `{version}`. @default - left for the build to read from its checkout */
  readonly version?: string;
}

/**
 * Plans one app's build for a push: the commit to check out, the repository URI, the immutable tag
 * (rendered from `image.tag`; `{version}` and `{build}` are left for the build when not given, see
 * `renderBuildTag`), the environment the build runs with, and the idempotency token and record key
 * derived from the correlation id and the app. Throws `TAG_INVALID` for a tag that is not a valid
 * OCI tag or could be `latest`, `CONFIG_INVALID` for a bare repository without a registry, and
 * `BUILD_EXTERNAL` for an app with `build: external` (its own CI builds it); all are permanent.
 *
 * @example
 * ```ts
 * const plan = planBuild({ app, push, imageRegistry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com" });
 * await runner.startBuild({ projectName, sourceVersion: plan.sourceVersion, environment: plan.environment, idempotencyToken: plan.idempotencyToken });
 * ```
 */
export function planBuild(options: PlanBuildOptions): BuildPlan {
  const { app, push } = options;
  if (!isManagedBuild(app.build)) {
    throw new ShiplineError({
      code: "BUILD_EXTERNAL",
      message: `app '${app.name}' has build: external: its own CI builds its images, so Shipline plans no build for it; remove build: external to let Shipline build it`,
      data: { app: app.name },
      retryable: false,
    });
  }
  const tag = renderBuildTag({
    template: app.image.tag,
    sha: push.commit,
    ...(push.refType === "branch" ? { branch: push.refName } : {}),
    ...(options.version === undefined ? {} : { version: options.version }),
    ...(options.buildNumber === undefined ? {} : { build: options.buildNumber }),
  });
  const imageRepositoryUri = repositoryUriOf(app, options.imageRegistry);
  const environment: Partial<Record<BuildVariableName, string>> = {
    [BuildVariable.App]: app.name,
    [BuildVariable.Commit]: push.commit,
    [BuildVariable.CorrelationId]: push.correlationId,
    [BuildVariable.DeliveryId]: push.deliveryId,
    [BuildVariable.RefName]: push.refName,
    [BuildVariable.ImageRepositoryUri]: imageRepositoryUri,
  };
  if (tag.kind === "rendered") environment[BuildVariable.ImageTag] = tag.tag;
  else environment[BuildVariable.ImageTagTemplate] = tag.template;
  if (tag.kind === "pending" && tag.pending.includes("version")) {
    const source = app.build.version;
    if (source === undefined) {
      throw new ShiplineError({
        code: "CONFIG_INVALID",
        message: `app '${app.name}' has tag template '${app.image.tag}' with {version} but no build.version; add build.version: { from: package-json }`,
        data: { app: app.name, template: app.image.tag },
        retryable: false,
      });
    }
    environment[BuildVariable.VersionFrom] = source.from;
    environment[BuildVariable.VersionPath] = source.path;
  }
  return {
    app: app.name,
    sourceVersion: push.commit,
    sourceFetchedByBuild: managedBuildSourceOf(app.source).kind === "fetch",
    imageRepository: app.image.repository,
    imageRepositoryUri,
    tag,
    environment,
    idempotencyToken: createHash("sha256").update(`${push.correlationId}\n${app.name}`).digest("hex"),
    recordKey: { pk: `build#${push.correlationId}#${app.name}`, sk: "start" },
  };
}

function repositoryUriOf(app: AppConfig, imageRegistry: string | undefined): string {
  const { registry, name } = splitImageRepository(app.image.repository);
  if (registry !== undefined) return app.image.repository;
  if (imageRegistry === undefined || imageRegistry === "") {
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `app '${app.name}' pushes to '${app.image.repository}', a repository Shipline manages, but no registry host was given to start-build; pass the deployment's registry (ECR of the account and region, or the local registry)`,
      data: { app: app.name, repository: app.image.repository },
      retryable: false,
    });
  }
  return `${imageRegistry.replace(/\/+$/, "")}/${name}`;
}
