import { Validations } from "aws-cdk-lib";
import type * as iam from "aws-cdk-lib/aws-iam";
import * as secretsmanager from "aws-cdk-lib/aws-secretsmanager";
import { Construct } from "constructs";
import { LOCAL_HARBOR_URL, type RegistryConfig } from "../../functions/core/config/registries.js";

/** Properties of {@link HarborAccess}. */
export interface HarborAccessProps {
  /** The configuration's `registries:`; only those of kind harbor with an https URL are read on AWS. */
  readonly registries: readonly RegistryConfig[];
}

/**
 * What Shipline needs on AWS to take images from Harbor: the secret Harbor's webhook policies send as
 * their Auth Header (generated; copy it into each policy), and read access to each Harbor's
 * robot-account secret (named by `credentials.secretName`, created by you). A `local:registry`
 * Harbor is the local runtime's and is left out.
 *
 * @example
 * ```ts
 * const harbor = HarborAccess.of(this, "Harbor", { registries: config.registries });
 * harbor?.grantRobotRead(scanGate.role);
 * ```
 */
export class HarborAccess extends Construct {
  /** The Harbor webhook secret: the Auth Header of Harbor's webhook policies. */
  readonly webhookSecret: secretsmanager.Secret;
  readonly #robots: readonly secretsmanager.ISecret[];

  /**
   * A {@link HarborAccess} when the registries hold a Harbor reachable from AWS, else undefined.
   */
  static of(scope: Construct, id: string, props: HarborAccessProps): HarborAccess | undefined {
    return props.registries.some(isAwsHarbor) ? new HarborAccess(scope, id, props) : undefined;
  }

  constructor(scope: Construct, id: string, props: HarborAccessProps) {
    super(scope, id);
    this.webhookSecret = new secretsmanager.Secret(this, "WebhookSecret", {
      description:
        "Shipline: the Auth Header Harbor's webhook policies send (PUSH_ARTIFACT, SCANNING_COMPLETED); copy it into each policy",
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });
    Validations.of(this.webhookSecret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "The Harbor webhook secret is shared with Harbor, which cannot fetch it: rotating it is a coordinated manual step (put the new value, update each webhook policy), so no rotation Lambda can do it.",
    });
    this.#robots = props.registries.filter(isAwsHarbor).flatMap((registry, index) => {
      const name = registry.credentials?.secretName;
      if (name === undefined) return [];
      return [
        name.startsWith("arn:")
          ? secretsmanager.Secret.fromSecretCompleteArn(this, `Robot${index}`, name)
          : secretsmanager.Secret.fromSecretNameV2(this, `Robot${index}`, name),
      ];
    });
  }

  /** Lets a role read every Harbor robot-account secret (image-pushed, the scan gate). */
  grantRobotRead(grantee: iam.IGrantable): void {
    for (const robot of this.#robots) robot.grantRead(grantee);
  }
}

function isAwsHarbor(registry: RegistryConfig): boolean {
  return registry.kind === "harbor" && registry.url !== LOCAL_HARBOR_URL;
}
