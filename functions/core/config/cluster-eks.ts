import * as z from "zod";
import { show } from "./fields.js";
import { say } from "./say.js";

/** An EKS cluster name as the EKS API accepts it: 1 to 100 letters, digits, `-` and `_`, starting with a letter or digit. */
const EKS_CLUSTER_NAME = /^[0-9A-Za-z][0-9A-Za-z_-]{0,99}$/;

/** `arn:<partition>:iam::<account>:oidc-provider/<issuer host>[/<path>]`; group 1 is the account. */
const OIDC_PROVIDER_ARN =
  /^arn:aws(?:-cn|-us-gov)?:iam::(\d{12}):oidc-provider\/[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?:\/[A-Za-z0-9._~%-]+)*$/;

/** A DNS-1123 label (a namespace): lower-case letters, digits and `-`, at most 63, alphanumeric at both ends. */
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** A DNS-1123 subdomain (a ServiceAccount's name): dot-separated labels, at most 253 characters. */
const DNS_SUBDOMAIN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/;

const OIDC_EXAMPLE = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE";

const textOf = (example: string) =>
  z.string({
    error: (issue) =>
      issue.input === undefined
        ? say("is missing", `add ${example}`)
        : say(`${show(issue.input)} is not text`, `write ${example}`),
  });

const clusterName = textOf("the EKS cluster's name, e.g. clusterName: prod-eu").regex(EKS_CLUSTER_NAME, {
  error: (issue) =>
    say(
      `${show(issue.input)} is not an EKS cluster name`,
      "write the name as EKS shows it (aws eks list-clusters): 1 to 100 letters, digits, '-' and '_', starting with a letter or digit",
    ),
});

const oidcProviderArn = textOf(`the IAM OIDC provider's ARN, e.g. ${OIDC_EXAMPLE}`).superRefine(
  (value, ctx) => {
    if (OIDC_PROVIDER_ARN.test(value)) return;
    const issuer = /^https:\/\/([^\s]+)$/.exec(value)?.[1];
    ctx.addIssue({
      code: "custom",
      message: issuer
        ? say(
            `'${value}' is the issuer URL, not the provider's ARN`,
            `write arn:aws:iam::<account>:oidc-provider/${issuer} (aws iam list-open-id-connect-providers)`,
          )
        : say(
            `'${value}' is not an IAM OIDC provider ARN`,
            `write arn:aws:iam::<12-digit account>:oidc-provider/<issuer host and path>, e.g. ${OIDC_EXAMPLE}`,
          ),
    });
  },
);

/** The message of a section that is not a mapping; other issues keep the file-wide messages (unknown keys). */
const notAMapping =
  (example: string) =>
  (issue: { readonly code?: string; readonly input?: unknown }): string | undefined =>
    issue.code === "invalid_type"
      ? say(`${show(issue.input)} is not a mapping`, `write ${example}`)
      : undefined;

const kubernetesName = (pattern: RegExp, max: number, kind: string, example: string) =>
  textOf(`the ${kind}, e.g. ${example}`).refine((value) => value.length <= max && pattern.test(value), {
    error: (issue) =>
      say(
        `${show(issue.input)} is not a Kubernetes ${kind}`,
        `use lower-case letters, digits and '-'${max > 63 ? " (and '.')" : ""}, at most ${max}, starting and ending with a letter or digit, e.g. ${example}`,
      ),
  });

/**
 * How the agent of a cluster on EKS gets its IAM role: `clusterName` makes the deployment associate
 * the agent's ServiceAccount with the role (EKS Pod Identity); `oidcProviderArn` also lets the role
 * trust the ServiceAccount's IRSA tokens. `serviceAccount` is the one the agent's chart runs as
 * (absent: the chart's default, shipline/shipline-agent). Without this section the role trusts
 * Pod Identity only and nothing is associated.
 *
 * @example
 * ```ts
 * clusterEks.parse({ clusterName: "prod-eu", serviceAccount: { namespace: "shipline", name: "shipline-agent" } });
 * ```
 */
export const clusterEks = z.strictObject(
  {
    /** The EKS cluster's name (not necessarily the cluster's name in this file). */
    clusterName,
    /** The cluster's IAM OIDC provider, for IRSA; it must be in the account Shipline is deployed to. */
    oidcProviderArn: oidcProviderArn.optional(),
    /** The agent's ServiceAccount. */
    serviceAccount: z
      .strictObject(
        {
          /** The namespace the agent's chart is installed in. */
          namespace: kubernetesName(DNS_LABEL, 63, "namespace", "shipline"),
          /** The chart's `serviceAccount.name`. */
          name: kubernetesName(DNS_SUBDOMAIN, 253, "ServiceAccount name", "shipline-agent"),
        },
        { error: notAMapping("serviceAccount: { namespace: shipline, name: shipline-agent }") },
      )
      .optional(),
  },
  { error: notAMapping("eks: { clusterName: prod-eu }") },
);

/** A cluster's EKS settings (output of {@link clusterEks}). */
export type ClusterEksConfig = z.output<typeof clusterEks>;

/**
 * The account of an IAM OIDC provider ARN that {@link clusterEks} accepted; `undefined` for any
 * other text.
 *
 * @example
 * ```ts
 * oidcProviderAccount("arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"); // "123456789012"
 * ```
 */
export function oidcProviderAccount(arn: string): string | undefined {
  return OIDC_PROVIDER_ARN.exec(arn)?.[1];
}
