import { Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";

/** One unacknowledged cdk-nag finding, printable. */
export interface NagFinding {
  readonly rule: string;
  readonly severity: string;
  readonly description: string;
  readonly paths: readonly string[];
}

/** Runs cdk-nag's AwsSolutions pack over a construct tree and lists what it found, acknowledged findings excepted. */
export function awsSolutionsFindings(scope: IConstruct): NagFinding[] {
  const report = new AwsSolutionsChecks(scope).validateScope(scope);
  return report.violations.map((violation) => ({
    rule: violation.ruleName,
    severity: violation.severity ?? "unknown",
    description: violation.description,
    paths: violation.violatingResources.map((resource) => resource.constructPath ?? "(unknown path)"),
  }));
}

/** Every acknowledgement (`Validations.of(x).acknowledge`) in a tree: where, which rule, and the reason given. */
export function acknowledgements(scope: IConstruct): { path: string; rule: string; reason: unknown }[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data ?? {}).map(([rule, reason]) => ({
          path: construct.node.path,
          rule,
          reason,
        })),
      ),
  );
}
