/**
 * Names of the environment variables Shipline hands a build. `start-build` sets them as overrides
 * when it starts a build; the generated buildspec and the local builder read them (and tag, label and
 * push the image with them); `build-status` reads them back from CodeBuild's state-change event to
 * tell which app, commit and journey a build belongs to. One set of names keeps the three in step.
 *
 * @example
 * ```ts
 * const environment = { [BuildVariable.App]: "shop", [BuildVariable.Commit]: sha };
 * ```
 */
export const BuildVariable = {
  /** The app being built. */
  App: "SHIPLINE_APP",
  /** The full source commit the build checks out. */
  Commit: "SHIPLINE_COMMIT",
  /** The journey's correlation id (from `Commit Pushed`). */
  CorrelationId: "SHIPLINE_CORRELATION_ID",
  /** The delivery that triggered the build. */
  DeliveryId: "SHIPLINE_DELIVERY_ID",
  /** The branch or tag name pushed. */
  RefName: "SHIPLINE_REF_NAME",
  /** The image repository URI to push to, with its registry host. */
  ImageRepositoryUri: "SHIPLINE_IMAGE_REPOSITORY_URI",
  /** The rendered image tag; absent when the build must complete it (see {@link ImageTagTemplate}). */
  ImageTag: "SHIPLINE_IMAGE_TAG",
  /**
   * The tag with every placeholder filled in except those only the build knows (`{version}`,
   * `{build}`); set instead of {@link ImageTag}. The build completes it with `completeTag`.
   */
  ImageTagTemplate: "SHIPLINE_IMAGE_TAG_TEMPLATE",
  /** Where the build reads `{version}`: `package-json` or `file` (set when the tag needs it). */
  VersionFrom: "SHIPLINE_VERSION_FROM",
  /** The file `{version}` is read from, relative to the repository root. */
  VersionPath: "SHIPLINE_VERSION_PATH",
} as const;

/** One of the values of {@link BuildVariable}. */
export type BuildVariableName = (typeof BuildVariable)[keyof typeof BuildVariable];
