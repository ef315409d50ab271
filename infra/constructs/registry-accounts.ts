import type * as iam from "aws-cdk-lib/aws-iam";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { LOCAL_HARBOR_URL, type RegistryConfig } from "../../functions/core/config/registries.js";

/** Props of {@link RegistryAccounts}. */
export interface RegistryAccountsProps {
  readonly registries: readonly RegistryConfig[];
}

/**
 * The accounts Shipline reads registries of kind oci with (`registries[].credentials.secretName`,
 * secrets the platform team creates): the webhook resolves announced images with them and
 * image-pushed reads their labels. Created only when a registry names one.
 *
 * @example
 * ```ts
 * RegistryAccounts.of(this, "RegistryAccounts", config)?.grantRead(webhook.role);
 * ```
 */
export class RegistryAccounts extends Construct {
  readonly #secrets: readonly secretsmanager.ISecret[];

  /** The accounts of a configuration, or undefined when no registry of kind oci names one. */
  static of(scope: Construct, id: string, props: RegistryAccountsProps): RegistryAccounts | undefined {
    return props.registries.some((registry) => accountOf(registry) !== undefined)
      ? new RegistryAccounts(scope, id, props)
      : undefined;
  }

  constructor(scope: Construct, id: string, props: RegistryAccountsProps) {
    super(scope, id);
    this.#secrets = props.registries.flatMap((registry, index) => {
      const name = accountOf(registry);
      if (name === undefined) return [];
      return [
        name.startsWith("arn:")
          ? secretsmanager.Secret.fromSecretCompleteArn(this, `Account${index}`, name)
          : secretsmanager.Secret.fromSecretNameV2(this, `Account${index}`, name),
      ];
    });
  }

  /** Lets a function read every account. */
  grantRead(grantee: iam.IGrantable): void {
    for (const secret of this.#secrets) secret.grantRead(grantee);
  }
}

function accountOf(registry: RegistryConfig): string | undefined {
  return registry.kind === "oci" && registry.url !== LOCAL_HARBOR_URL
    ? registry.credentials?.secretName
    : undefined;
}
