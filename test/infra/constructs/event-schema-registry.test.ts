import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { describe, expect, it } from "vitest";
import { DETAIL_TYPES } from "../../../functions/core/contracts/detail-type.js";
import { eventJsonSchema, eventSchemaName } from "../../../functions/core/contracts/event-json-schema.js";
import { EventSchemaRegistry } from "../../../infra/constructs/event-schema-registry.js";
import { ShiplineStack } from "../../../infra/stacks/shipline-stack.js";
import { awsSolutionsFindings } from "../nag-findings.js";

describe("EventSchemaRegistry", () => {
  it("publishes one JSONSchemaDraft4 schema per detail type, in Shipline's registry, regenerated from the contracts", () => {
    // Arrange
    const stack = new Stack(new App(), "Test");

    // Act
    const schemas = new EventSchemaRegistry(stack, "Schemas");

    // Assert
    const resources = Template.fromStack(stack).findResources("AWS::EventSchemas::Schema");
    const registryName = stack.resolve(schemas.registry.attrRegistryName);
    expect(Object.keys(resources)).toHaveLength(DETAIL_TYPES.length);
    for (const detailType of DETAIL_TYPES) {
      const resource = Object.values(resources).find(
        (candidate) => candidate.Properties.SchemaName === eventSchemaName(detailType),
      );
      expect(resource?.Properties, detailType).toMatchObject({
        RegistryName: registryName,
        Type: "JSONSchemaDraft4",
        Content: JSON.stringify(eventJsonSchema(detailType)),
      });
    }
    expect(awsSolutionsFindings(stack)).toEqual([]);
  });

  it("is part of every Shipline stack, configured or not", () => {
    // Act
    const stack = new ShiplineStack(new App(), "Shipline");

    // Assert
    expect([...stack.schemas.schemas.keys()]).toEqual([...DETAIL_TYPES]);
    Template.fromStack(stack).resourceCountIs("AWS::EventSchemas::Registry", 1);
  });
});
