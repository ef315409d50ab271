import { describe, expect, it } from "vitest";
import { acceptPolicy } from "../../../../functions/core/config/accept-policy.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { checkAcceptance } from "../../../../functions/core/images/check-acceptance.js";
import { COMMIT_NOT_FOUND } from "../../../../functions/core/ports/commit-ancestry.js";
import type { SourceBranches } from "../../../../functions/core/ports/source-branches.js";
import { commitOf } from "./image-test-kit.js";

const REPO = "https://github.com/acme/shop.git";
const COMMIT = commitOf("a");

/** Branches of one repository: which hold which commit. */
function branchesOf(holding: Record<string, readonly string[]>): SourceBranches & { asked: number } {
  const source = {
    asked: 0,
    async branchesContaining(repo: string, commit: string): Promise<readonly string[]> {
      source.asked += 1;
      if (repo !== REPO) throw new Error(`unexpected repository ${repo}`);
      const branches = holding[commit];
      if (branches === undefined) {
        throw new ShiplineError({ code: COMMIT_NOT_FOUND, message: "not there", retryable: false });
      }
      return branches;
    },
  };
  return source;
}

function check(
  accept: unknown,
  image: { tag: string; template?: string; commit?: string },
  branches?: SourceBranches,
) {
  return checkAcceptance({
    policy: acceptPolicy.parse(accept),
    repo: REPO,
    tagTemplate: image.template ?? "{sha}",
    commit: image.commit ?? COMMIT,
    tag: image.tag,
    ...(branches === undefined ? {} : { branches }),
  });
}

describe("checkAcceptance", () => {
  it("accepts every image of an app without a policy, asking git nothing", async () => {
    // Arrange
    const branches = branchesOf({});

    // Act
    const decision = await checkAcceptance({
      policy: undefined,
      repo: REPO,
      tagTemplate: "{sha}",
      commit: COMMIT,
      tag: COMMIT,
      branches,
    });

    // Assert
    expect(decision).toEqual({ accepted: true });
    expect(branches.asked).toBe(0);
  });

  it.each([
    ["the head of an allowed branch", { [COMMIT]: ["main"] }],
    ["in the history of a branch an allowed glob matches", { [COMMIT]: ["feature/x", "release/1.4"] }],
  ])("accepts a commit that is %s", async (_case, holding) => {
    // Arrange
    const branches = branchesOf(holding);

    // Act
    const decision = await check({ branches: ["main", "release/*"] }, { tag: "1.4.0" }, branches);

    // Assert
    expect(decision).toEqual({ accepted: true });
  });

  it("refuses a commit only a feature branch holds, naming the branch, the policy and the fix", async () => {
    // Arrange
    const branches = branchesOf({ [COMMIT]: ["feature/login"] });

    // Act
    const decision = await check({ branches: ["main", "release/*"] }, { tag: "1.4.0" }, branches);

    // Assert
    expect(decision).toEqual({
      accepted: false,
      rule: "branches",
      reason:
        "commit aaaaaaa is on branch feature/login only, which accept.branches (main, release/*) does not allow; build the image from an allowed branch (merge it first), or add its branch to accept.branches",
    });
  });

  it("refuses a commit the repository does not have", async () => {
    // Arrange
    const branches = branchesOf({});

    // Act
    const decision = await check({ branches: "main" }, { tag: "1.4.0" }, branches);

    // Assert
    expect(decision).toMatchObject({ accepted: false, rule: "branches" });
    expect(decision.accepted ? "" : decision.reason).toContain(`commit aaaaaaa is on no branch of ${REPO}`);
  });

  it("fails closed when nothing can read the repository's branches", async () => {
    // Arrange
    const policy = { branches: ["main"] };

    // Act
    const decision = await check(policy, { tag: "1.4.0" });

    // Assert
    expect(decision).toMatchObject({ accepted: false, rule: "branches" });
    expect(decision.accepted ? "" : decision.reason).toContain(
      "the image is refused rather than let in unchecked",
    );
  });

  it("rethrows a repository that cannot be reached, so the announcement is tried again", async () => {
    // Arrange
    const unreachable: SourceBranches = {
      branchesContaining: async () => {
        throw new ShiplineError({ code: "GIT_FETCH_FAILED", message: "down", retryable: true });
      },
    };

    // Act
    const decision = check({ branches: ["main"] }, { tag: "1.4.0" }, unreachable);

    // Assert
    await expect(decision).rejects.toMatchObject({ code: "GIT_FETCH_FAILED", retryable: true });
  });

  it.each([
    ["v1.4.0", true],
    ["v1.4.0-rc.1", false],
    ["1.4.0", false],
  ])("judges tag %s by the tag expression (accepted: %s)", async (tag, accepted) => {
    // Arrange
    const policy = { tags: "^v[0-9]+\\.[0-9]+\\.[0-9]+$" };

    // Act
    const decision = await check(policy, { tag });

    // Assert
    expect(decision.accepted).toBe(accepted);
    if (!decision.accepted) {
      expect(decision).toMatchObject({ rule: "tags" });
      expect(decision.reason).toBe(
        `tag '${tag}' does not match accept.tags '^v[0-9]+\\.[0-9]+\\.[0-9]+$'; push the image under a tag that matches, or change accept.tags`,
      );
    }
  });

  it.each([
    ["the {version} part of a {version}-{sha7} tag", "1.4.0-aaaaaaa", "{version}-{sha7}", true],
    ["a version below the range", "1.1.9-aaaaaaa", "{version}-{sha7}", false],
    ["the next major version", "2.0.0-aaaaaaa", "{version}-{sha7}", false],
    ["a whole tag with a leading v", "v1.2.0", "{sha}", true],
    ["a pre-release, as npm's ranges leave them out", "1.5.0-rc.1", "{sha}", false],
  ])("judges %s by the semver range", async (_case, tag, template, accepted) => {
    // Arrange
    const policy = { semver: ">=1.2.0 <2" };

    // Act
    const decision = await check(policy, { tag, template });

    // Assert
    expect(decision.accepted).toBe(accepted);
    if (!decision.accepted) expect(decision).toMatchObject({ rule: "semver" });
  });

  it("says a tag that holds no version cannot satisfy the range", async () => {
    // Arrange
    const policy = { semver: "^1" };

    // Act
    const decision = await check(policy, { tag: "build-42" });

    // Assert
    expect(decision).toEqual({
      accepted: false,
      rule: "semver",
      reason:
        "tag 'build-42' ('build-42') is not a semver version, so it cannot satisfy accept.semver '^1'; tag the image with a version such as 1.4.0 (or {version}-{sha7} in the tag template), or remove accept.semver",
    });
  });

  it("needs every rule to hold, and asks git last", async () => {
    // Arrange
    const branches = branchesOf({ [COMMIT]: ["main"] });

    // Act
    const decision = await check({ branches: ["main"], semver: ">=2" }, { tag: "1.4.0" }, branches);

    // Assert
    expect(decision).toMatchObject({ accepted: false, rule: "semver" });
    expect(branches.asked).toBe(0);
  });
});
