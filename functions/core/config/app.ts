import * as z from "zod";
import { validateTagTemplate } from "../tag-template.js";
import { acceptPolicy } from "./accept-policy.js";
import { appSource } from "./app-source.js";
import { build, isManagedBuild } from "./build.js";
import { type DeployTarget, deployTargetInput } from "./deploy-target.js";
import { dnsName, text } from "./fields.js";
import { imageRepository } from "./image-repository.js";
import { repoPath } from "./repo-path.js";
import { say } from "./say.js";

const tagTemplate = text("a tag template, e.g. {version}-{sha7}").superRefine((template, ctx) => {
  for (const problem of validateTagTemplate(template)) {
    ctx.addIssue({ code: "custom", message: say(problem.message, problem.fix) });
  }
});

/** The image the app's build pushes. */
const image = z.strictObject({
  /** A bare name (`demo`) is managed by Shipline in the deployment's registry; else the full repository. */
  repository: imageRepository,
  /** The tag template: placeholders {sha}, {sha7}, {version}, {branch}, {build}; must contain {sha} or {sha7}. */
  tag: tagTemplate.default("{sha}"),
});

/** A Helm chart packaged by the build and pushed as an OCI artifact. */
const chart = z.strictObject({
  /** The chart directory (holding Chart.yaml) in the source repo. */
  path: repoPath("the chart directory, e.g. charts/demo"),
  /** The OCI repository the chart is pushed to. */
  repository: imageRepository,
});

/**
 * An app: the source that triggers it, how it is built, the image it produces and where each
 * environment deploys it. Defaults of the deploy targets are filled in: the Argo CD application is
 * `<app>-<environment>`, the Kustomize image name is the image repository, the marker is the app name.
 *
 * @example
 * ```ts
 * app.parse({ name: "demo", source: { repo: "local:demo" }, image: { repository: "demo" },
 *   deploy: { staging: { kind: "helm", file: "envs/staging/values.yaml", path: "image.tag" } } });
 * ```
 */
export const app = z
  .strictObject({
    /** The app's name, carried by every event about it. */
    name: dnsName("the app's name, e.g. shop-api"),
    source: appSource,
    image,
    build,
    /** Which announced images enter the chain (branch, tag pattern, semver range); absent: every one. */
    accept: acceptPolicy.optional(),
    chart: chart.optional(),
    /** Deploy targets keyed by environment name. */
    deploy: z.record(z.string(), deployTargetInput, {
      error: (issue) =>
        say(
          issue.input === undefined ? "is missing" : "is not a mapping",
          "add deploy: with one key per environment, e.g. deploy: { staging: { kind: helm, file: ..., path: image.tag } }",
        ),
    }),
  })
  .superRefine((value, ctx) => {
    // An external build tags its images itself: the template only reads them back.
    if (
      value.image.tag.includes("{version}") &&
      isManagedBuild(value.build) &&
      value.build.version === undefined
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["build", "version"],
        message: say(
          "the tag template uses {version} but nothing says where the version is",
          "add build.version: { from: package-json } (or { from: file, path: VERSION })",
        ),
      });
    }
  })
  .transform(({ deploy, ...rest }) => ({
    ...rest,
    deploy: Object.fromEntries(
      Object.entries(deploy).map(([environmentName, target]): [string, DeployTarget] => {
        const applicationName = target.application ?? `${rest.name}-${environmentName}`;
        if (target.kind === "kustomize") {
          return [
            environmentName,
            { ...target, application: applicationName, image: target.image ?? rest.image.repository },
          ];
        }
        if (target.kind === "marker") {
          return [
            environmentName,
            { ...target, application: applicationName, marker: target.marker ?? rest.name },
          ];
        }
        return [environmentName, { ...target, application: applicationName }];
      }),
    ),
  }));

/** An app (output of {@link app}). */
export type AppConfig = z.output<typeof app>;

/** The image section of an app. */
export type AppImageConfig = AppConfig["image"];

/** The chart section of an app. */
export type ChartConfig = z.output<typeof chart>;
