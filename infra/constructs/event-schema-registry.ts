import * as eventschemas from "aws-cdk-lib/aws-eventschemas";
import { Construct } from "constructs";
import { DETAIL_TYPES, type DetailTypeName } from "../../functions/core/contracts/detail-type.js";
import { eventJsonSchema, eventSchemaName } from "../../functions/core/contracts/event-json-schema.js";

/** Properties of an {@link EventSchemaRegistry}. */
export interface EventSchemaRegistryProps {
  /**
   * The detail types to publish a schema of.
   *
   * @default DETAIL_TYPES - every Shipline detail type
   */
  readonly detailTypes?: readonly DetailTypeName[];
}

/**
 * Shipline's EventBridge schema registry: one `JSONSchemaDraft4` schema per detail type
 * (`shipline@CommitPushed`, …), each the JSON Schema of the whole event generated from its zod
 * contract (`eventJsonSchema`), so that consumers can browse Shipline's events and generate code
 * bindings from what the steps actually parse. The registry's name is generated.
 *
 * @example
 * ```ts
 * const schemas = new EventSchemaRegistry(this, "Schemas");
 * new CfnOutput(this, "SchemaRegistryName", { value: schemas.registry.attrRegistryName });
 * ```
 */
export class EventSchemaRegistry extends Construct {
  /** The registry. */
  readonly registry: eventschemas.CfnRegistry;
  /** The schema of each detail type. */
  readonly schemas: ReadonlyMap<DetailTypeName, eventschemas.CfnSchema>;

  constructor(scope: Construct, id: string, props: EventSchemaRegistryProps = {}) {
    super(scope, id);
    this.registry = new eventschemas.CfnRegistry(this, "Registry", {
      description: "Shipline: the events of the shipline bus, generated from their contracts",
    });
    const schemas = new Map<DetailTypeName, eventschemas.CfnSchema>();
    for (const detailType of props.detailTypes ?? DETAIL_TYPES) {
      const name = eventSchemaName(detailType);
      schemas.set(
        detailType,
        new eventschemas.CfnSchema(this, name.replace("@", "-"), {
          registryName: this.registry.attrRegistryName,
          schemaName: name,
          type: "JSONSchemaDraft4",
          description: `Shipline's '${detailType}' event`,
          content: JSON.stringify(eventJsonSchema(detailType)),
        }),
      );
    }
    this.schemas = schemas;
  }
}
