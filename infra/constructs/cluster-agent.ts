import { ArnFormat, CfnOutput, Duration, Stack } from "aws-cdk-lib";
import * as eks from "aws-cdk-lib/aws-eks";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { resourceName } from "../../functions/core/contracts/primitives.js";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import type { EventRouting } from "./event-routing.js";

/** The ServiceAccount the agent runs as (the chart's default). */
export const DEFAULT_AGENT_SERVICE_ACCOUNT = { namespace: "shipline", name: "shipline-agent" } as const;

/** Properties of a {@link ClusterAgent}. */
export interface ClusterAgentProps {
  /** The cluster's name in the configuration (`clusters[].name`). */
  readonly cluster: string;
  /** Shipline's bus: the agent publishes its outcomes there, and nowhere else. */
  readonly eventBus: events.IEventBus;
  /** The topology: the cluster's `Sync Requested` rule is added to it. */
  readonly routing: EventRouting;
  /**
   * The ServiceAccount of the agent in the cluster.
   *
   * @default DEFAULT_AGENT_SERVICE_ACCOUNT - shipline/shipline-agent
   */
  readonly serviceAccount?: { readonly namespace: string; readonly name: string };
  /**
   * The EKS cluster's name: with it, an EKS Pod Identity association ties the ServiceAccount to the role.
   *
   * @default - no association (create it yourself, or use IRSA)
   */
  readonly eksClusterName?: string;
  /**
   * The cluster's IAM OIDC provider, for IRSA: the role then also trusts the ServiceAccount's web
   * identity tokens (annotate the ServiceAccount with the role ARN).
   *
   * @default - EKS Pod Identity only
   */
  readonly oidcProvider?: iam.IOpenIdConnectProvider;
  /**
   * How long a received request stays hidden; the agent renews it while it works.
   *
   * @default Duration.seconds(60)
   */
  readonly visibilityTimeout?: Duration;
  /**
   * Receives of a request before it moves to the dead-letter queue (Argo CD down for long).
   *
   * @default 10
   */
  readonly maxReceiveCount?: number;
  /**
   * The CloudWatch alarms (names, or ARNs) the agent reads as metric gates: the `bake.cloudwatchAlarm`
   * of the cluster's environments. The role may call `cloudwatch:DescribeAlarms` on these alone; a
   * name is an alarm of the stack's account and region.
   *
   * @default - none: the role may describe no alarm
   */
  readonly alarms?: readonly string[];
  /**
   * The environments the cluster runs: their `Hold Placed`, `Hold Released` and `Promotion
   * Waiting` events reach the queue too, for the agent's delivery metrics.
   *
   * @default - none: the queue receives sync requests only
   */
  readonly environments?: readonly string[];
}

/**
 * What Shipline needs on AWS for the agent of one cluster (steps 8 to 9): the cluster's queue of
 * `Sync Requested` events (SSE-SQS, TLS only) with its dead-letter queue, the cluster's rule from
 * the topology routing those events to it (and the holds and waits of its `environments`, for the
 * agent's delivery metrics), and the agent's IAM role. The role trusts EKS Pod
 * Identity (`pods.eks.amazonaws.com`, `sts:AssumeRole` and `sts:TagSession`) and, when an OIDC
 * provider is given, the ServiceAccount's IRSA tokens; it may only receive, delete and change the
 * visibility of messages on its queue, put events on Shipline's bus and describe the CloudWatch
 * alarms its environments bake with (`alarms`).
 *
 * @example
 * ```ts
 * const agent = new ClusterAgent(this, "Agent-prod-eu", { cluster: "prod-eu", eventBus, routing, eksClusterName: "prod-eu" });
 * agent.queue.queueUrl; // the chart's shipline.queueUrl
 * ```
 */
export class ClusterAgent extends Construct {
  /** The cluster's queue. */
  readonly queue: sqs.Queue;
  /** Requests that came back too often. */
  readonly deadLetterQueue: sqs.Queue;
  /** The agent's role. */
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ClusterAgentProps) {
    super(scope, id);
    const maxReceiveCount = props.maxReceiveCount ?? 10;
    const visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(60);
    const problems = [
      ...(resourceName.safeParse(props.cluster).success
        ? []
        : [
            `cluster is '${props.cluster}'; use the cluster's name from the configuration (lower-case letters, digits and '-')`,
          ]),
      ...(Number.isInteger(maxReceiveCount) && maxReceiveCount >= 1 && maxReceiveCount <= 1000
        ? []
        : [`maxReceiveCount is ${maxReceiveCount}; give a whole number from 1 to 1000`]),
      ...(visibilityTimeout.toSeconds() >= 10 && visibilityTimeout.toSeconds() <= 43_200
        ? []
        : [`visibilityTimeout is ${visibilityTimeout.toHumanString()}; give 10 seconds to 12 hours`]),
    ];
    if (problems.length > 0) {
      throw new ShiplineError({
        code: "CONSTRUCT_PROPS_INVALID",
        message: `${this.node.path}: ${problems.join("; ")}`,
        data: { construct: this.node.path, problems },
      });
    }
    const serviceAccount = props.serviceAccount ?? DEFAULT_AGENT_SERVICE_ACCOUNT;
    this.deadLetterQueue = new sqs.Queue(this, "DeadLetters", {
      retentionPeriod: Duration.days(14),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
    });
    this.queue = new sqs.Queue(this, "Queue", {
      visibilityTimeout,
      retentionPeriod: Duration.days(4),
      enforceSSL: true,
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
    props.routing.addClusterQueue(props.cluster, this.queue);
    props.routing.addClusterObservations(props.cluster, props.environments ?? [], this.queue);

    const podIdentity = new iam.ServicePrincipal("pods.eks.amazonaws.com").withSessionTags();
    this.role = new iam.Role(this, "Role", {
      assumedBy:
        props.oidcProvider === undefined
          ? podIdentity
          : new iam.CompositePrincipal(podIdentity, irsaPrincipal(props.oidcProvider, serviceAccount)),
      description: `The Shipline agent of cluster ${props.cluster}: reads its queue, publishes outcomes`,
    });
    iam.Grant.addToPrincipal({
      grantee: this.role,
      actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"],
      resourceArns: [this.queue.queueArn],
    });
    props.eventBus.grantPutEventsTo(this.role);
    const alarms = [...new Set(props.alarms ?? [])];
    if (alarms.length > 0) {
      iam.Grant.addToPrincipal({
        grantee: this.role,
        actions: ["cloudwatch:DescribeAlarms"],
        resourceArns: alarms.map((alarm) =>
          alarm.startsWith("arn:")
            ? alarm
            : Stack.of(this).formatArn({
                service: "cloudwatch",
                resource: "alarm",
                resourceName: alarm,
                arnFormat: ArnFormat.COLON_RESOURCE_NAME,
              }),
        ),
      });
    }
    if (props.eksClusterName !== undefined) {
      new eks.CfnPodIdentityAssociation(this, "PodIdentity", {
        clusterName: props.eksClusterName,
        namespace: serviceAccount.namespace,
        serviceAccount: serviceAccount.name,
        roleArn: this.role.roleArn,
      });
    }
    new CfnOutput(this, "QueueUrl", {
      description: `The agent of cluster ${props.cluster}: its chart's shipline.queueUrl`,
      value: this.queue.queueUrl,
    });
    new CfnOutput(this, "RoleArn", {
      description: `The agent of cluster ${props.cluster}: its role (Pod Identity association, or serviceAccount.roleArn for IRSA)`,
      value: this.role.roleArn,
    });
  }
}

/** Trust for the ServiceAccount's IRSA web identity tokens. */
function irsaPrincipal(
  provider: iam.IOpenIdConnectProvider,
  serviceAccount: { readonly namespace: string; readonly name: string },
): iam.IPrincipal {
  const issuer = provider.openIdConnectProviderIssuer;
  return new iam.OpenIdConnectPrincipal(provider).withConditions({
    StringEquals: {
      [`${issuer}:sub`]: `system:serviceaccount:${serviceAccount.namespace}:${serviceAccount.name}`,
      [`${issuer}:aud`]: "sts.amazonaws.com",
    },
  });
}
