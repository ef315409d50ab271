import { imageDigest, imageTag } from "../contracts/primitives.js";
import { ShiplineError } from "../errors/shipline-error.js";
import { hasControlCharacter } from "./control-character.js";
import type { ImageValue } from "./manifest-edit.js";

/** The parts of an image an edit can write. */
export type ImagePart = "repository" | "tag" | "digest";

/**
 * An OCI repository: optional registry host (with port) then lower-case path components
 * (distribution reference grammar), at most 255 characters.
 */
const REPOSITORY =
  /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::\d+)?\/)?[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$/;

const SEMVER =
  /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/**
 * Checks the parts of `image` an edit is about to write: each needed part must be present, a
 * tag must follow the OCI tag grammar, a digest must be `sha256:` and 64 lower-case hex
 * characters, a repository must be an OCI repository name. Throws `IMAGE_REF_INVALID` otherwise.
 *
 * @example
 * ```ts
 * assertImageParts({ tag: "v1.2.3" }, ["tag"], "helm edit of image.tag");
 * ```
 */
export function assertImageParts(image: ImageValue, needed: readonly ImagePart[], context: string): void {
  for (const part of needed) {
    const value = image[part];
    if (value === undefined) {
      throw new ShiplineError({
        code: "IMAGE_REF_INVALID",
        message: `${context} writes the image ${part}, but none was given; pass image.${part}`,
        data: { part, context },
      });
    }
    const problem = imagePartProblem(part, value);
    if (problem) {
      throw new ShiplineError({
        code: "IMAGE_REF_INVALID",
        message: `${context}: image ${part} "${value}" is invalid: ${problem}`,
        data: { part, value, context },
      });
    }
  }
}

function imagePartProblem(part: ImagePart, value: string): string | undefined {
  if (part === "tag")
    return imageTag.safeParse(value).success
      ? undefined
      : "expected an OCI tag, [A-Za-z0-9_][A-Za-z0-9._-]{0,127}";
  if (part === "digest") {
    return imageDigest.safeParse(value).success
      ? undefined
      : "expected sha256: and 64 lower-case hex characters";
  }
  return value.length <= 255 && REPOSITORY.test(value)
    ? undefined
    : "expected an OCI repository such as 123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app (lower-case path)";
}

/**
 * Checks a chart version: SemVer 2 (as Helm requires), with an optional leading `v`. Throws
 * `CHART_VERSION_INVALID` otherwise.
 *
 * @example
 * ```ts
 * assertChartVersion("1.4.0-rc.1");
 * ```
 */
export function assertChartVersion(version: string): void {
  if (!SEMVER.test(version)) {
    throw new ShiplineError({
      code: "CHART_VERSION_INVALID",
      message: `chart version "${version}" is not a SemVer 2 version; write it as MAJOR.MINOR.PATCH, such as 1.4.0 or 1.4.0-rc.1`,
      data: { version },
    });
  }
}

/**
 * Checks a value a `scalar` edit writes: one line, no control characters. Throws
 * `MANIFEST_VALUE_INVALID` otherwise.
 *
 * @example
 * ```ts
 * assertScalarValue("v1.2.3", "image.tag");
 * ```
 */
export function assertScalarValue(value: string | null, path: string): void {
  if (value !== null && hasControlCharacter(value)) {
    throw new ShiplineError({
      code: "MANIFEST_VALUE_INVALID",
      message: `the value for "${path}" holds a line break or control character (${JSON.stringify(value)}); Shipline writes single-line values only`,
      data: { path, value },
    });
  }
}
