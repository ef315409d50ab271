/** The variable naming Shipline's bus for `--aws` (`--bus` wins): the stack's EventBusName output. */
export const EVENT_BUS_VARIABLE = "SHIPLINE_EVENT_BUS";

/**
 * The variable naming promote's DynamoDB table for `--aws` (`--promotion-table` wins): the stack's
 * PromotionTableName output.
 */
export const PROMOTION_TABLE_VARIABLE = "SHIPLINE_PROMOTION_TABLE";

/**
 * The region of `--aws` calls: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the SDK's own chain
 * (the profile's configuration), as the AWS CLI does.
 *
 * @example
 * ```ts
 * const client = new EventBridgeClient(regionOf(io.env));
 * ```
 */
export function regionOf(env: NodeJS.ProcessEnv): { readonly region?: string } {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  return region === undefined || region === "" ? {} : { region };
}
