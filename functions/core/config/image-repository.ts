import * as z from "zod";
import { say } from "./say.js";

const COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const NAME = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);
const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$/;

/** An image repository split into its registry host (absent for a Shipline-managed name) and name. */
export interface ImageRepositoryParts {
  /** `123456789012.dkr.ecr.eu-west-1.amazonaws.com`, `ghcr.io`, `127.0.0.1:5000`; absent for a bare name. */
  readonly registry?: string;
  /** The repository path inside the registry: `demo`, `acme/demo`. */
  readonly name: string;
}

/**
 * Splits an image repository the way container tools do: the first component is a registry host
 * when it contains `.` or `:` or is `localhost`. A bare name (`demo`, `team/demo`) is a repository
 * Shipline manages in the deployment's own registry: ECR in the account and region on AWS, the
 * embedded registry locally.
 *
 * @example
 * ```ts
 * splitImageRepository("123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo");
 * // { registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", name: "demo" }
 * splitImageRepository("demo"); // { name: "demo" }
 * ```
 */
export function splitImageRepository(repository: string): ImageRepositoryParts {
  const slash = repository.indexOf("/");
  const first = slash < 0 ? "" : repository.slice(0, slash);
  if (first !== "" && (first.includes(".") || first.includes(":") || first === "localhost")) {
    return { registry: first, name: repository.slice(slash + 1) };
  }
  return { name: repository };
}

/**
 * A zod schema for an image repository without tag or digest: a bare name managed by Shipline, or a
 * full reference with its registry host.
 *
 * @example
 * ```ts
 * imageRepository.parse("ghcr.io/acme/demo");
 * ```
 */
export const imageRepository = z
  .string({
    error: (issue) =>
      say(
        issue.input === undefined ? "is missing" : "is not text",
        "give the image repository, e.g. demo or 123456789012.dkr.ecr.eu-west-1.amazonaws.com/demo",
      ),
  })
  .superRefine((value, ctx) => {
    const problem = checkImageRepository(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

function checkImageRepository(value: string): string | undefined {
  if (value.includes("@")) {
    return say(
      `'${value}' has a digest`,
      `write the repository only ('${value.split("@")[0]}'): the digest is recorded per image`,
    );
  }
  const { registry, name } = splitImageRepository(value);
  const lastColon = name.lastIndexOf(":");
  if (lastColon >= 0) {
    return say(
      `'${value}' has a tag`,
      `write the repository only ('${value.slice(0, value.length - name.length + lastColon)}'): the tag comes from image.tag`,
    );
  }
  if (registry !== undefined && !HOST.test(registry)) {
    return say(`'${registry}' is not a registry host`, "write host[:port]/name, e.g. ghcr.io/acme/demo");
  }
  if (!NAME.test(name)) {
    return say(
      `'${name}' is not an image repository name`,
      "use lower-case letters, digits and '.', '_', '-' between them, with '/' between path parts",
    );
  }
  return undefined;
}
