import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import * as z from "zod";

// No helm binary runs in the tests: the template is read as YAML once its actions are blanked out.
const CHART = new URL("../../../functions/agent/chart/", import.meta.url);

function blankActions(template: string): string {
  return template
    .split("\n")
    .filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line))
    .map((line) => line.replace(/\{\{.*?\}\}/g, "TEMPLATED"))
    .join("\n");
}

describe("the agent's Helm chart and Argo Rollouts", () => {
  it("grants no access to Rollouts unless namespaces are listed", async () => {
    // Act
    const values = z
      .object({ rollouts: z.object({ namespaces: z.array(z.string()) }) })
      .parse(parse(await readFile(new URL("values.yaml", CHART), "utf8")));

    // Assert
    expect(values.rollouts.namespaces).toEqual([]);
  });

  it("grants get and patch on rollouts and rollouts/status in each listed namespace, in kubernetes mode only", async () => {
    // Arrange
    const template = await readFile(new URL("templates/rollouts-rbac.yaml", CHART), "utf8");

    // Act
    const documents = parseAllDocuments(blankActions(template))
      .map((document): unknown => document.toJS())
      .filter((document) => document !== null);
    const [role, binding] = documents;

    // Assert
    expect(template).toMatch(
      /\{\{- if eq \.Values\.argocd\.mode "kubernetes" \}\}\n\{\{- range \.Values\.rollouts\.namespaces \}\}/,
    );
    expect(role).toMatchObject({
      kind: "Role",
      rules: [
        { apiGroups: ["argoproj.io"], resources: ["rollouts", "rollouts/status"], verbs: ["get", "patch"] },
      ],
    });
    expect(binding).toMatchObject({ kind: "RoleBinding", roleRef: { kind: "Role" } });
    expect(documents).toHaveLength(2);
  });
});
