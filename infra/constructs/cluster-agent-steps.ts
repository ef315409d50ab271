import { Stack, Token } from "aws-cdk-lib";
import type * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import type * as sqs from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import type { ClusterConfig } from "../../functions/core/config/cluster.js";
import { oidcProviderAccount } from "../../functions/core/config/cluster-eks.js";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";
import { EnvName } from "../../functions/core/topology/env-names.js";
import { ClusterAgent, type ClusterAgentProps, DEFAULT_AGENT_SERVICE_ACCOUNT } from "./cluster-agent.js";
import type { EventRouting } from "./event-routing.js";
import { StepFunction } from "./step-function.js";
import type { StepFunctionConfig } from "./step-function-config.js";

/** Properties of a {@link ClusterAgentSteps}. */
export interface ClusterAgentStepsProps {
  readonly eventBus: events.IEventBus;
  readonly routing: EventRouting;
  /** The configuration: one agent per cluster. */
  readonly config: StepFunctionConfig;
  /**
   * The config repository's FIFO writer queue, where rollback sends its revert intents.
   *
   * @default - no rollback function (its rules stay without a target)
   */
  readonly writeQueue?: sqs.IQueue;
  /**
   * Per cluster (by name): how its agent runs in EKS. A key given here wins over the same setting
   * of the cluster's `eks` section in the configuration.
   *
   * @default - each cluster's `eks` section (`clusterName`, `oidcProviderArn`, `serviceAccount`);
   * without one, Pod Identity trust, no association, the chart's ServiceAccount
   */
  readonly clusters?: Readonly<Record<string, ClusterAgentIdentity>>;
  /** @default - each function's entry under `functions/lambda/`, bundled */
  readonly functionCode?: lambda.Code;
}

/** How the agent of one cluster gets its IAM role in EKS (see {@link ClusterAgentProps}). */
export type ClusterAgentIdentity = Pick<
  ClusterAgentProps,
  "eksClusterName" | "oidcProvider" | "serviceAccount"
>;

/**
 * Steps 8 to 10 on AWS: the `dispatch-sync` function, one {@link ClusterAgent} per configured
 * cluster, and the `rollback` function (when the writer queue is given), each function connected
 * to its rules with the step's dead-letter queue. Rollback may only send to the writer queue.
 * Each agent's EKS identity comes from its cluster's `eks` section, overridden key by key by
 * `clusters`; an OIDC provider in another account than the stack's (when the stack's account is
 * known), or two agents associated with one ServiceAccount, is a `CONSTRUCT_PROPS_INVALID` error.
 *
 * @example
 * ```ts
 * const steps = new ClusterAgentSteps(this, "Deployment", { eventBus, routing, config, writeQueue });
 * steps.agents.get("prod-eu")?.queue;
 * ```
 */
export class ClusterAgentSteps extends Construct {
  /** Step 8. */
  readonly dispatchSync: StepFunction;
  /** Step 9's AWS side, by cluster name. */
  readonly agents: ReadonlyMap<string, ClusterAgent>;
  /** Step 10, when the writer queue was given. */
  readonly rollback: StepFunction | undefined;

  constructor(scope: Construct, id: string, props: ClusterAgentStepsProps) {
    super(scope, id);
    const { eventBus, routing, config } = props;
    const code = props.functionCode;
    this.dispatchSync = new StepFunction(this, "DispatchSync", {
      step: "dispatch-sync",
      eventBus,
      code,
      config,
    });
    this.dispatchSync.sendFailuresTo(routing.connectStep("dispatch-sync", this.dispatchSync.fn));
    const identities = config.config.clusters.map((cluster, index) => ({
      cluster,
      index,
      identity: { ...this.identityFromFile(cluster), ...props.clusters?.[cluster.name] },
      oidcFrom:
        props.clusters?.[cluster.name]?.oidcProvider === undefined
          ? "eks.oidcProviderArn"
          : "the clusters prop's oidcProvider",
    }));
    this.checkIdentities(identities);
    const agents = new Map<string, ClusterAgent>();
    for (const { cluster, identity } of identities) {
      agents.set(
        cluster.name,
        new ClusterAgent(this, `Agent-${cluster.name}`, {
          cluster: cluster.name,
          eventBus,
          routing,
          ...identity,
          environments: config.config.environments
            .filter((environment) => environment.cluster === cluster.name)
            .map((environment) => environment.name),
          alarms: config.config.environments.flatMap((environment) =>
            environment.cluster === cluster.name && environment.bake?.cloudwatchAlarm !== undefined
              ? [environment.bake.cloudwatchAlarm]
              : [],
          ),
        }),
      );
    }
    this.agents = agents;
    if (props.writeQueue === undefined) {
      this.rollback = undefined;
      return;
    }
    this.rollback = new StepFunction(this, "Rollback", {
      step: "rollback",
      eventBus,
      code,
      config,
      environment: { [EnvName.WriteQueueUrl]: props.writeQueue.queueUrl },
    });
    props.writeQueue.grantSendMessages(this.rollback.role);
    this.rollback.sendFailuresTo(routing.connectStep("rollback", this.rollback.fn));
  }

  /** The identity the cluster's `eks` section describes (nothing without one). */
  private identityFromFile(cluster: ClusterConfig): ClusterAgentIdentity {
    const eks = cluster.eks;
    if (eks === undefined) return {};
    return {
      eksClusterName: eks.clusterName,
      ...(eks.oidcProviderArn === undefined
        ? {}
        : {
            oidcProvider: iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(
              this,
              `Oidc-${cluster.name}`,
              eks.oidcProviderArn,
            ),
          }),
      ...(eks.serviceAccount === undefined ? {} : { serviceAccount: eks.serviceAccount }),
    };
  }

  private checkIdentities(
    identities: readonly {
      cluster: ClusterConfig;
      index: number;
      identity: ClusterAgentIdentity;
      oidcFrom: string;
    }[],
  ): void {
    const account = Stack.of(this).account;
    const problems: string[] = [];
    const associated = new Map<string, string>();
    for (const { cluster, index, identity, oidcFrom } of identities) {
      const where = `clusters[${index}] (${cluster.name})`;
      const arn = identity.oidcProvider?.openIdConnectProviderArn;
      const providerAccount =
        arn === undefined || Token.isUnresolved(arn) ? undefined : oidcProviderAccount(arn);
      if (!Token.isUnresolved(account) && providerAccount !== undefined && providerAccount !== account) {
        problems.push(
          `${where}: ${oidcFrom} '${arn}' is in account ${providerAccount}, not the stack's ${account}, and a role trusts only its own account's OIDC providers; create the cluster's OIDC provider in ${account} (eksctl utils associate-iam-oidc-provider) and give its ARN`,
        );
      }
      if (identity.eksClusterName === undefined) continue;
      const serviceAccount = identity.serviceAccount ?? DEFAULT_AGENT_SERVICE_ACCOUNT;
      const key = `${identity.eksClusterName} ${serviceAccount.namespace}/${serviceAccount.name}`;
      const first = associated.get(key);
      if (first === undefined) {
        associated.set(key, where);
      } else {
        problems.push(
          `${where}: EKS cluster ${identity.eksClusterName} ServiceAccount ${serviceAccount.namespace}/${serviceAccount.name} is already associated with the agent of ${first}, and EKS allows one association per ServiceAccount; give each agent its own eks.serviceAccount`,
        );
      }
    }
    if (problems.length === 0) return;
    throw new ShiplineError({
      code: "CONSTRUCT_PROPS_INVALID",
      message: `${this.node.path}: ${problems.join("; ")}`,
      data: { construct: this.node.path, problems },
    });
  }
}
