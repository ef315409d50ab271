import { Stack, Token, Validations } from "aws-cdk-lib";
import * as codebuild from "aws-cdk-lib/aws-codebuild";

/**
 * Acknowledges the cdk-nag findings of the policy CodeBuild gives every project, with their
 * reasons: the KMS action families on the project's own encryption key, and the log streams and
 * report groups named after the project, which CodeBuild creates per build. Resources are written
 * as cdk-nag writes them: a token by its pseudo parameter, an environment's values as they are.
 *
 * @example
 * ```ts
 * acknowledgeCodeBuildDefaults(project);
 * ```
 */
export function acknowledgeCodeBuildDefaults(project: codebuild.Project): void {
  const validations = Validations.of(project);
  for (const action of ["kms:GenerateDataKey*", "kms:ReEncrypt*"]) {
    validations.acknowledge({
      id: `AwsSolutions-IAM5[Action::${action}]`,
      reason:
        "CodeBuild's grant on the project's encryption key: the action families KMS needs to encrypt build output, on that one key only.",
    });
  }
  const cfnProject = project.node.defaultChild;
  if (!(cfnProject instanceof codebuild.CfnProject)) return;
  const stack = Stack.of(project);
  const logicalId = stack.getLogicalId(cfnProject);
  const region = Token.isUnresolved(stack.region) ? "<AWS::Region>" : stack.region;
  const account = Token.isUnresolved(stack.account) ? "<AWS::AccountId>" : stack.account;
  for (const resource of [
    `arn:<AWS::Partition>:logs:${region}:${account}:log-group:/aws/codebuild/<${logicalId}>:*`,
    `arn:<AWS::Partition>:codebuild:${region}:${account}:report-group/<${logicalId}>-*`,
  ]) {
    validations.acknowledge({
      id: `AwsSolutions-IAM5[Resource::${resource}]`,
      reason:
        "CodeBuild's default project policy: the log streams of the project's default log group and the test report groups named after the project, which CodeBuild creates per build.",
    });
  }
}
