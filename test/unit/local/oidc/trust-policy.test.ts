import { describe, expect, it } from "vitest";
import { grantedPermissions, parseTrustPolicy } from "../../../../functions/local/oidc/trust-policy.js";

const policy = parseTrustPolicy([
  { subject: "arn:aws:iam::*:role/shipline-*", repositories: ["config", "team/*"], permissions: ["write"] },
  { subject: "arn:aws:iam::111111111111:role/auditor", repositories: ["config"], permissions: ["read"] },
]);

describe("grantedPermissions", () => {
  it("grants read along with write to a subject matching a rule's glob", () => {
    // Act
    const granted = grantedPermissions({
      policy,
      subject: "arn:aws:iam::000000000000:role/shipline-writer",
      repository: "config",
    });

    // Assert
    expect(granted).toEqual(["read", "write"]);
  });

  it("matches repository globs within one owner", () => {
    // Act
    const inTeam = grantedPermissions({
      policy,
      subject: "arn:aws:iam::0:role/shipline-a",
      repository: "team/app",
    });
    const elsewhere = grantedPermissions({
      policy,
      subject: "arn:aws:iam::0:role/shipline-a",
      repository: "other/app",
    });

    // Assert
    expect(inTeam).toEqual(["read", "write"]);
    expect(elsewhere).toEqual([]);
  });

  it("grants nothing to a subject no rule names", () => {
    // Act
    const granted = grantedPermissions({
      policy,
      subject: "arn:aws:iam::000000000000:role/intruder",
      repository: "config",
    });

    // Assert
    expect(granted).toEqual([]);
  });

  it("grants only read to a read-only subject", () => {
    // Act
    const granted = grantedPermissions({
      policy,
      subject: "arn:aws:iam::111111111111:role/auditor",
      repository: "config",
    });

    // Assert
    expect(granted).toEqual(["read"]);
  });
});

describe("parseTrustPolicy", () => {
  it("names every bad key of an invalid policy", () => {
    // Act
    const parse = () => parseTrustPolicy([{ subject: "", repositories: [], permissions: ["admin"] }]);

    // Assert
    expect(parse).toThrow(
      /trustPolicy\[0\]\.subject.*trustPolicy\[0\]\.repositories.*trustPolicy\[0\]\.permissions\[0\]/,
    );
  });
});
