import { Validations } from "aws-cdk-lib";
import type * as iam from "aws-cdk-lib/aws-iam";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { LOCAL_HARBOR_URL, type RegistryConfig } from "../../functions/core/config/registries.js";

/** Props of {@link RegistryAccounts}. */
export interface RegistryAccountsProps {
  readonly registries: readonly RegistryConfig[];
}

/**
 * What Shipline needs of registries of kind oci: the publish secret CIs sign the "image published"
 * call with (generated; its own, so that a CI never holds the git hosts' webhook secret), and the
 * accounts it reads the registries with (`registries[].credentials.secretName`, secrets the platform
 * team creates): the webhook resolves announced images with them and image-pushed reads their
 * labels. Created only when the configuration declares a registry of kind oci.
 *
 * @example
 * ```ts
 * const accounts = RegistryAccounts.of(this, "RegistryAccounts", config);
 * accounts?.grantRead(webhook.role);
 * ```
 */
export class RegistryAccounts extends Construct {
  /** The publish secret (its value is never in the template). */
  readonly publishSecret: secretsmanager.Secret;
  readonly #secrets: readonly secretsmanager.ISecret[];

  /** The registries of kind oci of a configuration, or undefined when it declares none. */
  static of(scope: Construct, id: string, props: RegistryAccountsProps): RegistryAccounts | undefined {
    return props.registries.some(isAwsOci) ? new RegistryAccounts(scope, id, props) : undefined;
  }

  constructor(scope: Construct, id: string, props: RegistryAccountsProps) {
    super(scope, id);
    this.publishSecret = new secretsmanager.Secret(this, "PublishSecret", {
      description:
        "Shipline: the secret CIs sign the 'image published' call with (shipline publish, SHIPLINE_PUBLISH_SECRET)",
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.publishSecret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "The publish secret is shared with the CIs, which read it at announcement time: rotating it is a coordinated step (put the new value as a JSON list beside the old one, update the CIs), so no rotation Lambda can do it.",
    });
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

function isAwsOci(registry: RegistryConfig): boolean {
  return registry.kind === "oci" && registry.url !== LOCAL_HARBOR_URL;
}

function accountOf(registry: RegistryConfig): string | undefined {
  return isAwsOci(registry) ? registry.credentials?.secretName : undefined;
}
