import { describe, expect, it } from "vitest";
import { oidcProviderAccount } from "../../../../functions/core/config/cluster-eks.js";
import type { ConfigProblem } from "../../../../functions/core/config/config-problem.js";
import { parseConfig } from "../../../../functions/core/config/parse-config.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { toYaml, validConfig } from "./config-builder.js";

const OIDC_ARN =
  "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E5";

/** The YAML of the valid test config whose second cluster (prod-eu) has the given `eks` section. */
function withEks(eks: unknown): string {
  const config = validConfig();
  Object.assign(config.clusters[1] ?? {}, { eks });
  return toYaml(config);
}

function problemsOf(text: string): ConfigProblem[] {
  try {
    parseConfig(text);
  } catch (error) {
    if (!(error instanceof ShiplineError)) throw error;
    expect(error.code).toBe("CONFIG_INVALID");
    const problems = error.data.problems;
    if (!Array.isArray(problems)) throw new Error("data.problems is not a list");
    return problems;
  }
  throw new Error("expected parseConfig to throw");
}

describe("a cluster's eks section", () => {
  it("is absent unless written, so the agent keeps Pod Identity trust and no association", () => {
    // Arrange
    const text = toYaml(validConfig());

    // Act
    const config = parseConfig(text);

    // Assert
    expect(config.clusters.map((cluster) => cluster.eks)).toEqual([undefined, undefined]);
  });

  it.each<[string, unknown]>([
    ["only the EKS cluster name", { clusterName: "prod-eu" }],
    ["a name with capitals, digits and '_'", { clusterName: "Prod_EU-2" }],
    ["a name of 100 characters", { clusterName: `p${"x".repeat(99)}` }],
    ["an OIDC provider for IRSA", { clusterName: "prod-eu", oidcProviderArn: OIDC_ARN }],
    [
      "an OIDC provider of another partition",
      {
        clusterName: "prod",
        oidcProviderArn:
          "arn:aws-us-gov:iam::123456789012:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/AB",
      },
    ],
    [
      "its own ServiceAccount",
      { clusterName: "prod-eu", serviceAccount: { namespace: "delivery", name: "shipline.agent-2" } },
    ],
    [
      "every key",
      {
        clusterName: "prod-eu",
        oidcProviderArn: OIDC_ARN,
        serviceAccount: { namespace: "shipline", name: "shipline-agent" },
      },
    ],
  ])("accepts %s, as written", (_kind, eks) => {
    // Arrange
    const text = withEks(eks);

    // Act
    const config = parseConfig(text);

    // Assert
    expect(config.clusters[1]?.eks).toEqual(eks);
    expect(config.clusters[0]?.eks).toBeUndefined();
  });

  it.each<[string, unknown, string, string]>([
    ["a section without the cluster name", {}, "clusterName", "is missing; add the EKS cluster's name"],
    [
      "a cluster name that is not text",
      { clusterName: 42 },
      "clusterName",
      "42 is not text; write the EKS cluster's name",
    ],
    [
      "a cluster name with a '.'",
      { clusterName: "prod.eu" },
      "clusterName",
      "'prod.eu' is not an EKS cluster name; write the name as EKS shows it (aws eks list-clusters)",
    ],
    [
      "a cluster name starting with '-'",
      { clusterName: "-prod" },
      "clusterName",
      "'-prod' is not an EKS cluster name",
    ],
    [
      "a cluster name over 100 characters",
      { clusterName: "p".repeat(101) },
      "clusterName",
      "1 to 100 letters, digits, '-' and '_'",
    ],
    ["an empty cluster name", { clusterName: "" }, "clusterName", "'' is not an EKS cluster name"],
    [
      "an issuer URL instead of the provider's ARN",
      { clusterName: "prod-eu", oidcProviderArn: "https://oidc.eks.eu-west-1.amazonaws.com/id/ABC" },
      "oidcProviderArn",
      "is the issuer URL, not the provider's ARN; write arn:aws:iam::<account>:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC",
    ],
    [
      "a role ARN instead of the provider's",
      { clusterName: "prod-eu", oidcProviderArn: "arn:aws:iam::123456789012:role/shipline-agent" },
      "oidcProviderArn",
      "'arn:aws:iam::123456789012:role/shipline-agent' is not an IAM OIDC provider ARN; write arn:aws:iam::<12-digit account>:oidc-provider/<issuer host and path>",
    ],
    [
      "a provider ARN with a short account",
      { clusterName: "prod-eu", oidcProviderArn: OIDC_ARN.replace("123456789012", "12345") },
      "oidcProviderArn",
      "is not an IAM OIDC provider ARN",
    ],
    [
      "a ServiceAccount without its name",
      { clusterName: "prod-eu", serviceAccount: { namespace: "shipline" } },
      "serviceAccount.name",
      "is missing; add the ServiceAccount name, e.g. shipline-agent",
    ],
    [
      "a ServiceAccount without its namespace",
      { clusterName: "prod-eu", serviceAccount: { name: "shipline-agent" } },
      "serviceAccount.namespace",
      "is missing; add the namespace, e.g. shipline",
    ],
    [
      "a namespace in capitals",
      { clusterName: "prod-eu", serviceAccount: { namespace: "Shipline", name: "shipline-agent" } },
      "serviceAccount.namespace",
      "'Shipline' is not a Kubernetes namespace; use lower-case letters, digits and '-', at most 63",
    ],
    [
      "a namespace with a '.'",
      { clusterName: "prod-eu", serviceAccount: { namespace: "ship.line", name: "shipline-agent" } },
      "serviceAccount.namespace",
      "'ship.line' is not a Kubernetes namespace",
    ],
    [
      "a namespace over 63 characters",
      { clusterName: "prod-eu", serviceAccount: { namespace: "n".repeat(64), name: "shipline-agent" } },
      "serviceAccount.namespace",
      "is not a Kubernetes namespace",
    ],
    [
      "a ServiceAccount name ending with '-'",
      { clusterName: "prod-eu", serviceAccount: { namespace: "shipline", name: "agent-" } },
      "serviceAccount.name",
      "'agent-' is not a Kubernetes ServiceAccount name; use lower-case letters, digits and '-' (and '.'), at most 253",
    ],
    [
      "a ServiceAccount written as namespace/name",
      { clusterName: "prod-eu", serviceAccount: "shipline/shipline-agent" },
      "serviceAccount",
      "'shipline/shipline-agent' is not a mapping; write serviceAccount: { namespace: shipline, name: shipline-agent }",
    ],
    [
      "a misspelt ServiceAccount key",
      { clusterName: "prod-eu", serviceAccount: { namespace: "shipline", nmae: "shipline-agent" } },
      "serviceAccount.nmae",
      "'nmae' is not a known key; remove it; the keys here are namespace, name",
    ],
    [
      "a misspelt key",
      { clusterName: "prod-eu", oidcProvider: OIDC_ARN },
      "oidcProvider",
      "'oidcProvider' is not a known key; did you mean 'oidcProviderArn'?",
    ],
    [
      "a section that is not a mapping",
      "prod-eu",
      "",
      "'prod-eu' is not a mapping; write eks: { clusterName: prod-eu }",
    ],
  ])("refuses %s, naming the fix", (_kind, eks, key, expected) => {
    // Arrange
    const text = withEks(eks);

    // Act
    const problems = problemsOf(text);

    // Assert
    const path = key === "" ? "clusters[1].eks" : `clusters[1].eks.${key}`;
    const matching = problems.filter((problem) => problem.path === path);
    expect(matching.map((problem) => `${problem.message}; ${problem.fix}`).join("\n")).toContain(expected);
    expect(matching[0]?.line).toEqual(expect.any(Number));
  });
});

describe("oidcProviderAccount", () => {
  it.each<[string, string | undefined]>([
    [OIDC_ARN, "123456789012"],
    ["arn:aws-cn:iam::210987654321:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/AB", "210987654321"],
    ["arn:aws:iam::123456789012:role/shipline-agent", undefined],
    ["https://oidc.eks.eu-west-1.amazonaws.com/id/AB", undefined],
  ])("reads the account of %s", (arn, expected) => {
    // Act
    const account = oidcProviderAccount(arn);

    // Assert
    expect(account).toBe(expected);
  });
});
