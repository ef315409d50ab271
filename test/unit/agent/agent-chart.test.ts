import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import * as z from "zod";

// No helm binary runs in the tests: these read the chart's templates as text, and the RBAC template
// as YAML once its template actions are blanked out.
const CHART = new URL("../../../functions/agent/chart/", import.meta.url);

async function chartFile(path: string): Promise<string> {
  return readFile(new URL(path, CHART), "utf8");
}

/** A template as YAML: lines that are only an action are dropped, inline actions become a placeholder. */
function blankActions(template: string): string {
  return template
    .split("\n")
    .filter((line) => !/^\s*\{\{.*\}\}\s*$/.test(line))
    .map((line) => line.replace(/\{\{.*?\}\}/g, "TEMPLATED"))
    .join("\n");
}

/**
 * For each line of a template, the `argocd.mode` it is rendered in: `kubernetes`, `api-token`, or
 * `both` outside any mode condition.
 */
function modesOfLines(template: string): { readonly line: string; readonly mode: string }[] {
  const stack: string[] = [];
  return template.split("\n").map((line) => {
    const condition = /\{\{-?\s*if eq \.Values\.argocd\.mode "([a-z-]+)"/.exec(line);
    if (condition !== null) stack.push(condition[1] ?? "both");
    else if (/\{\{-?\s*(if|with|range)\b/.test(line)) stack.push("both");
    else if (/\{\{-?\s*else\s*-?\}\}/.test(line)) {
      const top = stack.pop() ?? "both";
      stack.push(top === "kubernetes" ? "api-token" : top === "api-token" ? "kubernetes" : "both");
    } else if (/\{\{-?\s*end\s*-?\}\}/.test(line)) stack.pop();
    const mode = [...stack].reverse().find((entry) => entry !== "both") ?? "both";
    return { line, mode };
  });
}

describe("the agent's Helm chart", () => {
  it("reaches Argo CD through the Kubernetes API by default, in Argo CD's argocd namespace", async () => {
    // Act
    const values = z
      .object({ argocd: z.object({ mode: z.string(), namespace: z.string() }) })
      .parse(parse(await chartFile("values.yaml")));

    // Assert
    expect(values.argocd).toMatchObject({ mode: "kubernetes", namespace: "argocd" });
  });

  it("grants the agent's ServiceAccount get, list, watch and patch on Applications in Argo CD's namespace, and nothing else", async () => {
    // Arrange
    const template = await chartFile("templates/rbac.yaml");

    // Act
    const documents = parseAllDocuments(blankActions(template)).map((document): unknown => document.toJS());
    const [role, binding, ...rest] = documents;
    const rules = z.object({ rules: z.array(z.unknown()) }).parse(role).rules;

    // Assert
    expect(template).toMatch(/^\{\{- if eq \.Values\.argocd\.mode "kubernetes" \}\}$/m);
    expect(rest).toEqual([]);
    expect(role).toMatchObject({ kind: "Role", metadata: { namespace: "TEMPLATED" } });
    expect(template).toContain("namespace: {{ .Values.argocd.namespace }}");
    expect(rules).toEqual([
      { apiGroups: ["argoproj.io"], resources: ["applications"], verbs: ["get", "list", "watch", "patch"] },
    ]);
    expect(binding).toMatchObject({
      kind: "RoleBinding",
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role" },
      subjects: [{ kind: "ServiceAccount", name: "TEMPLATED", namespace: "TEMPLATED" }],
    });
    expect(template).toContain("name: {{ .Values.serviceAccount.name }}");
    expect(template).toContain("namespace: {{ .Release.Namespace }}");
    expect(template).not.toMatch(/ClusterRole/);
  });

  it("mounts the projected ServiceAccount token and the Argo CD token Secret only in api-token mode", async () => {
    // Arrange
    const template = await chartFile("templates/deployment.yaml");

    // Act
    const lines = modesOfLines(template);
    const modeOf = (text: string) => lines.filter(({ line }) => line.includes(text)).map(({ mode }) => mode);

    // Assert
    expect(template).toMatch(/^ {6}automountServiceAccountToken: true$/m);
    expect(modeOf(".Values.argocd.tokenSecret")).toEqual(["api-token", "api-token"]);
    expect(modeOf("name: argocd-token")).toEqual(["api-token", "api-token"]);
    expect(modeOf("ARGOCD_TOKEN_FILE")).toEqual(["api-token"]);
    expect(modeOf("ARGOCD_NAMESPACE")).toEqual(["kubernetes"]);
    expect(modeOf("name: ARGOCD_MODE")).toEqual(["both"]);
  });

  it("refuses a mode it does not know, naming both", async () => {
    // Act
    const template = await chartFile("templates/deployment.yaml");

    // Assert
    expect(template).toContain('(has .Values.argocd.mode (list "kubernetes" "api-token"))');
    expect(template).toMatch(/fail \(printf "argocd\.mode is %q; set it to kubernetes .* or api-token/);
  });

  it("lets the ServiceAccount's token be mounted", async () => {
    // Act
    const template = await chartFile("templates/serviceaccount.yaml");

    // Assert
    expect(template).toMatch(/^automountServiceAccountToken: true$/m);
  });
});
