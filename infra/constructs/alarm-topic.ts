import { Stack, Token } from "aws-cdk-lib";
import * as actions from "aws-cdk-lib/aws-cloudwatch-actions";
import * as iam from "aws-cdk-lib/aws-iam";
import * as kms from "aws-cdk-lib/aws-kms";
import * as sns from "aws-cdk-lib/aws-sns";
import * as subscriptions from "aws-cdk-lib/aws-sns-subscriptions";
import { Construct } from "constructs";
import * as z from "zod";
import { partitionOfRegion, snsTopicArnParts } from "../../functions/core/config/alerts.js";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";

/** Properties of an {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /**
   * An existing SNS topic to notify (`alerts.topicArn`): a standard topic in the region and
   * partition the stack deploys to. When it is encrypted, its key must let CloudWatch use it.
   *
   * @default - a topic created here, encrypted with a key of its own that CloudWatch may use
   */
  readonly topicArn?: string;
  /**
   * E-mail addresses subscribed to the topic (`alerts.emails`); each confirms by mail.
   *
   * @default - no subscription
   */
  readonly emails?: readonly string[];
}

const email = z.email();

/**
 * Where Shipline's CloudWatch alarms notify, on ALARM and back to OK: an SNS topic of the config's
 * (`alerts.topicArn`) or one created here, encrypted with a customer managed key (rotated yearly)
 * whose policy lets CloudWatch publish through it (SNS's AWS managed key does not), with the
 * config's e-mail addresses subscribed. A topic ARN that is not an SNS topic's, or that lies in
 * another region (and so perhaps another partition) than a stack with a known region, is refused
 * with `CONFIG_INVALID` naming `alerts.topicArn` and the fix; so is an address that is not one.
 *
 * @example
 * ```ts
 * const alerts = new AlarmTopic(this, "Alerts", { emails: ["oncall@example.com"] });
 * alarm.addAlarmAction(alerts.action);
 * ```
 */
export class AlarmTopic extends Construct {
  /** The topic the alarms notify. */
  readonly topic: sns.ITopic;
  /** The key of a topic created here. */
  readonly key: kms.IKey | undefined;
  /** The alarm action (and OK action) that publishes to the topic. */
  readonly action: actions.SnsAction;

  constructor(scope: Construct, id: string, props: AlarmTopicProps = {}) {
    super(scope, id);
    checkProps(this, props);
    if (props.topicArn !== undefined) {
      this.topic = sns.Topic.fromTopicArn(this, "Topic", props.topicArn);
      this.key = undefined;
    } else {
      const key = new kms.Key(this, "Key", {
        description: "Shipline: encrypts the topic its CloudWatch alarms notify",
        enableKeyRotation: true,
      });
      key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: "AllowCloudWatchAlarmsToPublish",
          principals: [new iam.ServicePrincipal("cloudwatch.amazonaws.com")],
          actions: ["kms:Decrypt", "kms:GenerateDataKey*"],
          resources: ["*"],
        }),
      );
      this.key = key;
      this.topic = new sns.Topic(this, "Topic", {
        displayName: "Shipline alarms",
        masterKey: key,
        enforceSSL: true,
      });
    }
    for (const address of props.emails ?? []) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(address));
    }
    this.action = new actions.SnsAction(this.topic);
  }
}

function checkProps(scope: Construct, props: AlarmTopicProps): void {
  const problems: string[] = [];
  const arn = props.topicArn;
  if (arn !== undefined && !Token.isUnresolved(arn)) {
    const parts = snsTopicArnParts(arn);
    const region = Stack.of(scope).region;
    if (parts === undefined) {
      problems.push(
        `alerts.topicArn '${arn}' is not an SNS topic ARN; write arn:<partition>:sns:<region>:<12-digit account>:<topic name> (aws sns list-topics)`,
      );
    } else if (!Token.isUnresolved(region) && parts.region !== region) {
      const partition = partitionOfRegion(region);
      const why =
        parts.partition === partition
          ? `region ${parts.region}, but the stack deploys to ${region}, and CloudWatch only notifies topics of its own region`
          : `partition ${parts.partition}, but the stack deploys to ${region}, in partition ${partition}`;
      problems.push(
        `alerts.topicArn '${arn}' is in ${why}; name a topic in ${region}, or leave alerts.topicArn out for one the stack creates`,
      );
    }
  }
  for (const [index, address] of (props.emails ?? []).entries()) {
    if (!email.safeParse(address).success) {
      problems.push(
        `alerts.emails[${index}] '${address}' is not an e-mail address; write one address per item, e.g. platform-oncall@example.com`,
      );
    }
  }
  if (problems.length === 0) return;
  throw new ShiplineError({
    code: "CONFIG_INVALID",
    message: `${scope.node.path}: ${problems.join("; ")}`,
    data: { construct: scope.node.path, problems },
    retryable: false,
  });
}
