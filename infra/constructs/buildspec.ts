import { stringify } from "yaml";
import { BuildVariable } from "../../functions/core/build/build-variable.js";
import { ChartVariable } from "../../functions/core/build/chart-variable.js";
import { managedBuildSourceOf } from "../../functions/core/build/managed-build-source.js";
import type { AppConfig } from "../../functions/core/config/app.js";
import { isManagedBuild, type ManagedBuildConfig } from "../../functions/core/config/build.js";
import { parseRepoRef } from "../../functions/core/config/repo-ref.js";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import { CORRELATION_LABEL, REVISION_LABEL } from "../../functions/core/images/image-labels.js";

/** The OCI label naming where the image's source code lives. */
const SOURCE_LABEL = "org.opencontainers.image.source";

/**
 * Variables the build project sets (not `start-build`), besides {@link BuildVariable}'s.
 */
export const ProjectVariable = {
  /** The OCI repository URI the app's Helm chart is pushed to (set only for an app with a chart). */
  ChartRepositoryUri: "SHIPLINE_CHART_REPOSITORY_URI",
  /** Exported by the build: the digest (`sha256:...`) of the image it pushed. */
  ImageDigest: "SHIPLINE_IMAGE_DIGEST",
  /** For a build that fetches its source: the user name sent with the token. */
  GitUsername: "SHIPLINE_GIT_USERNAME",
  /** For a build that fetches a private source: the token, read from Secrets Manager by CodeBuild. */
  GitToken: "SHIPLINE_GIT_TOKEN",
} as const;

/** The Helm release the build installs to package and push a chart. */
export const DEFAULT_HELM_VERSION = "3.19.0";

/** One phase of a buildspec. */
export interface BuildspecPhase {
  /** `ABORT`: a failing command ends the build; later phases do not run. */
  readonly "on-failure": "ABORT";
  readonly commands: readonly string[];
}

/** A CodeBuild buildspec (version 0.2), as Shipline generates it. */
export interface Buildspec {
  readonly version: 0.2;
  readonly env: {
    readonly shell: "bash";
    /** Plain variables of every build of the project. */
    readonly variables?: Readonly<Record<string, string>>;
    /** Variables CodeBuild reads from Secrets Manager (`<secret>`), never shown in the logs. */
    readonly "secrets-manager"?: Readonly<Record<string, string>>;
    readonly "exported-variables": readonly string[];
  };
  readonly phases: {
    readonly install?: BuildspecPhase;
    readonly pre_build: BuildspecPhase;
    readonly build: BuildspecPhase;
    readonly post_build: BuildspecPhase;
  };
}

/** Options of {@link renderBuildspec}. */
export interface BuildspecOptions {
  /** The build host's CPU architecture, for the Helm download. @default "x86_64" */
  readonly architecture?: "x86_64" | "arm64";
  /** The Helm release installed for an app with a chart. @default DEFAULT_HELM_VERSION */
  readonly helmVersion?: string;
}

const V = BuildVariable;
const IMAGE_REF = `"$${V.ImageRepositoryUri}:$${V.ImageTag}"`;

/**
 * Generates an app's buildspec from its build contract (DESIGN §2): for an app whose host CodeBuild
 * cannot clone (see `managedBuildSourceOf`), first fetch the exact commit (see {@link fetchSourceScript});
 * install; then, before any image
 * is built, complete and check the immutable tag, log in to ECR and run the tests; then the build
 * commands and `docker build`, labelled with the source revision and the journey's correlation id;
 * then push the image (and, for an app with a chart, package it and push it to ECR as an OCI
 * artifact). Every phase aborts the build on the first failing command, and nothing is pushed once a
 * phase has failed. The tag, repository and commit come from the variables `start-build` sets
 * (`BuildVariable`); the build exports the tag and the pushed digest.
 *
 * @example
 * ```ts
 * const spec = renderBuildspec(app, { architecture: "arm64" });
 * codebuild.BuildSpec.fromObjectToYaml(spec);
 * ```
 */
export function renderBuildspec(app: AppConfig, options: BuildspecOptions = {}): Buildspec {
  const config = app.build;
  if (!isManagedBuild(config)) {
    throw new ShiplineError({
      code: "BUILD_EXTERNAL",
      message: `app '${app.name}' has build: external: its own CI builds its images, so it has no buildspec; remove build: external to let CodeBuild build it`,
      data: { app: app.name },
    });
  }
  const { commands } = config;
  const source = managedBuildSourceOf(app.source);
  const fetched = source.kind === "fetch" ? source : undefined;
  const install = [
    ...(fetched === undefined ? [] : [fetchSourceScript(fetched.url)]),
    ...commands.install.map(atRoot),
    ...(app.chart ? helmInstall(options) : []),
  ];
  const pending = app.image.tag.includes("{version}") || app.image.tag.includes("{build}");
  const preBuild = [
    ...(pending ? [completeTagScript()] : []),
    checkTagCommand(),
    `registry="\${${V.ImageRepositoryUri}%%/*}"`,
    `aws ecr get-login-password --region "$(cut -d. -f4 <<< "$registry")" | docker login --username AWS --password-stdin "$registry"`,
    ...commands.test.map(atRoot),
  ];
  const build = [...commands.build.map(atRoot), atRoot(dockerBuildCommand(app, config))];
  const postBuild = [
    `if [ "$CODEBUILD_BUILD_SUCCEEDING" != 1 ]; then echo "shipline: an earlier phase failed, so nothing is pushed" >&2; exit 1; fi`,
    // The chart first: once the image is announced, a deploy target may already ask for its chart.
    ...(app.chart ? [`cd "$CODEBUILD_SRC_DIR"`, ...chartCommands(app.chart)] : []),
    `docker push ${IMAGE_REF}`,
    `export ${ProjectVariable.ImageDigest}="$(docker inspect --format '{{index .RepoDigests 0}}' ${IMAGE_REF} | cut -d@ -f2)"`,
  ];
  return {
    version: 0.2,
    env: {
      shell: "bash",
      ...(fetched?.token === undefined
        ? {}
        : {
            variables: { [ProjectVariable.GitUsername]: fetched.token.username },
            "secrets-manager": { [ProjectVariable.GitToken]: fetched.token.secret },
          }),
      "exported-variables": [
        V.ImageTag,
        ProjectVariable.ImageDigest,
        ...(app.chart ? Object.values(ChartVariable) : []),
      ],
    },
    phases: {
      ...(install.length > 0 ? { install: phase(install) } : {}),
      pre_build: phase(preBuild),
      build: phase(build),
      post_build: phase(postBuild),
    },
  };
}

/**
 * Renders a buildspec as YAML, the way the golden files and CodeBuild's console show it.
 *
 * @example
 * ```ts
 * await writeFile("demo.yaml", buildspecYaml(renderBuildspec(app)));
 * ```
 */
export function buildspecYaml(spec: Buildspec): string {
  return stringify(spec, { lineWidth: 0 });
}

/**
 * Runs a command at the checkout's root: the commands of a build share one shell, so a `cd` in
 * one would otherwise move the next.
 */
function atRoot(command: string): string {
  return `cd "$CODEBUILD_SRC_DIR" && ${command}`;
}

function phase(commands: readonly string[]): BuildspecPhase {
  return { "on-failure": "ABORT", commands };
}

/**
 * The commands that fetch the build's commit (`SHIPLINE_COMMIT`) into the empty checkout of a
 * project without a source: a fetch of that one commit, or, from a server that does not serve a
 * commit by its id, of the pushed branch (`SHIPLINE_REF_NAME`); then a detached checkout, checked to
 * be the commit. With `SHIPLINE_GIT_TOKEN` set, git gets the user name and token from a credential
 * helper that reads them from the environment: they never appear in a URL, a command line or the log.
 *
 * @example
 * ```ts
 * const install = [fetchSourceScript("https://gitea.example.org/acme/shop.git"), ...];
 * ```
 */
export function fetchSourceScript(url: string): string {
  const commit = `"$${V.Commit}"`;
  const branch = `"+refs/heads/$${V.RefName}:refs/remotes/origin/$${V.RefName}"`;
  const helper = `'credential.helper=!f() { test "$1" = get && printf "username=%s\\npassword=%s\\n" "$${ProjectVariable.GitUsername}" "$${ProjectVariable.GitToken}"; }; f'`;
  return [
    `cd "$CODEBUILD_SRC_DIR"`,
    `if [ -n "\${${ProjectVariable.GitToken}:-}" ]; then auth=(-c credential.helper= -c ${helper}); else auth=(); fi`,
    `git init --quiet . && git remote add origin ${shellQuote(url)}`,
    `if ! git "\${auth[@]}" fetch --quiet --depth 1 origin ${commit}; then git "\${auth[@]}" fetch --quiet origin ${branch}; fi`,
    `git -c advice.detachedHead=false checkout --quiet --detach ${commit}`,
    `if [ "$(git rev-parse HEAD)" != ${commit} ]; then echo "shipline: the checkout is not commit $${V.Commit}" >&2; exit 1; fi`,
  ].join("\n");
}

/** Quotes a value for bash. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Completes a tag `start-build` left pending, as `completeTag` does (functions/core/build/build-tag.ts). */
function completeTagScript(): string {
  return [
    `if [ -z "\${${V.ImageTag}:-}" ]; then`,
    `  tag="\${${V.ImageTagTemplate}:?start-build sets ${V.ImageTag} or ${V.ImageTagTemplate}}"`,
    `  if [[ "$tag" == *"{version}"* ]]; then`,
    `    case "\${${V.VersionFrom}:-}" in`,
    `      package-json) version="$(jq -r '.version // empty' "$${V.VersionPath}")" ;;`,
    `      file) version="$(tr -d '[:space:]' < "$${V.VersionPath}")" ;;`,
    `      *) echo "shipline: the tag needs {version} but ${V.VersionFrom} is '\${${V.VersionFrom}:-}'; set build.version in shipline.config.yaml" >&2; exit 1 ;;`,
    "    esac",
    `    tag="\${tag//\\{version\\}/\${version//+/_}}"`,
    "  fi",
    `  tag="\${tag//\\{build\\}/$CODEBUILD_BUILD_NUMBER}"`,
    `  export ${V.ImageTag}="$tag"`,
    "fi",
  ].join("\n");
}

function checkTagCommand(): string {
  return (
    `if [[ ! "\${${V.ImageTag}:-}" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ ]] || [ "\${${V.ImageTag},,}" = latest ]; then ` +
    `echo "shipline: image tag '\${${V.ImageTag}:-}' is not a valid immutable OCI tag; check image.tag and build.version" >&2; exit 1; fi`
  );
}

function dockerBuildCommand(app: AppConfig, config: ManagedBuildConfig): string {
  const source = parseRepoRef(app.source.repo);
  const labels = [
    `--label "${REVISION_LABEL}=$${V.Commit}"`,
    `--label "${CORRELATION_LABEL}=$${V.CorrelationId}"`,
    ...("url" in source ? [`--label ${shellQuote(`${SOURCE_LABEL}=${source.url}`)}`] : []),
  ];
  return [
    "docker build",
    `--file ${shellQuote(config.dockerfile)}`,
    ...labels,
    `--tag ${IMAGE_REF}`,
    shellQuote(config.context),
  ].join(" ");
}

function helmInstall(options: BuildspecOptions): string[] {
  const version = options.helmVersion ?? DEFAULT_HELM_VERSION;
  const platform = `linux-${options.architecture === "arm64" ? "arm64" : "amd64"}`;
  const url = `https://get.helm.sh/helm-v${version}-${platform}.tar.gz`;
  return [
    `curl -fsSLo /tmp/helm.tar.gz ${url}`,
    `curl -fsSLo /tmp/helm.tar.gz.sha256sum ${url}.sha256sum`,
    `echo "$(cut -d' ' -f1 /tmp/helm.tar.gz.sha256sum)  /tmp/helm.tar.gz" | sha256sum -c -`,
    `tar -xzf /tmp/helm.tar.gz -C /tmp && install -m 0755 /tmp/${platform}/helm /usr/local/bin/helm`,
  ];
}

function chartCommands(chart: NonNullable<AppConfig["chart"]>): string[] {
  const chartPath = shellQuote(chart.path);
  const name = chart.repository.split("/").at(-1) ?? chart.repository;
  const uri = ProjectVariable.ChartRepositoryUri;
  const tag = `$${V.ImageTag}`;
  return [
    `if [ ! -f ${shellQuote(`${chart.path}/Chart.yaml`)} ]; then echo "shipline: CHART_NOT_FOUND: chart.path '${chart.path}' holds no Chart.yaml in the commit being built; fix chart.path in shipline.config.yaml, or add the chart there" >&2; exit 1; fi`,
    `chart_name="$(helm show chart ${chartPath} | sed -n 's/^name:[[:space:]]*//p' | sed 's/[[:space:]]*#.*//' | tr -d "\\"'")"`,
    `if [ "$chart_name" != ${shellQuote(name)} ]; then echo "shipline: CHART_NAME_MISMATCH: chart ${chart.path} is named '$chart_name' but chart.repository ends in '${name}'; make them the same" >&2; exit 1; fi`,
    `if ! [[ "${tag}" =~ ${SEMVER_PATTERN} ]]; then echo "shipline: CHART_VERSION_INVALID: the chart's version is the image tag '${tag}', which is not SemVer 2 (Helm refuses it); give the app a tag template such as {version}-{sha7}" >&2; exit 1; fi`,
    `helm package ${chartPath} --version "${tag}" --app-version "${tag}" --destination /tmp/shipline-chart`,
    `chart_registry="\${${uri}%%/*}"`,
    `aws ecr get-login-password --region "$(cut -d. -f4 <<< "$chart_registry")" | helm registry login --username AWS --password-stdin "$chart_registry"`,
    `(set -o pipefail; helm push "/tmp/shipline-chart/${name}-${tag}.tgz" "oci://\${${uri}%/*}" 2>&1 | tee /tmp/shipline-chart/push.log)`,
    `export ${ChartVariable.Repository}="$${uri}" ${ChartVariable.Name}=${shellQuote(name)} ${ChartVariable.Version}="${tag}" ${ChartVariable.Digest}="$(sed -n 's/^Digest:[[:space:]]*//p' /tmp/shipline-chart/push.log)"`,
  ];
}

/** SemVer 2 as a bash regular expression (Helm's chart versions): MAJOR.MINOR.PATCH[-pre][+build]. */
const SEMVER_PATTERN =
  "^(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-((0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*)(\\.(0|[1-9][0-9]*|[0-9]*[a-zA-Z-][0-9a-zA-Z-]*))*))?(\\+[0-9a-zA-Z-]+(\\.[0-9a-zA-Z-]+)*)?$";
