import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const coreDir = path.join(repoRoot, "functions", "core");

/**
 * Packages `functions/core` must not depend on: the AWS SDK, Powertools and middy belong to adapters
 * and handlers, CDK to infra, and file, process and network I/O sits behind ports.
 */
const FORBIDDEN_PACKAGES: readonly RegExp[] = [
  /^@aws-sdk\//,
  /^@aws-lambda-powertools\//,
  /^@middy\//,
  /^aws-cdk-lib(\/|$)/,
  /^constructs$/,
  /^(node:)?fs(\/promises)?$/,
  /^(node:)?(child_process|net|tls|dgram|dns|http|https|http2)(\/.*)?$/,
];

/** One way a core file breaks the dependency rule. */
interface Violation {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

/**
 * Finds what a core source file must not do: import a module outside `functions/core` (adapters,
 * handlers, local, agent, lambda, infra, ...), import a forbidden package, or read `process.env`.
 * Works on the syntax tree, so comments and strings that merely mention these do not count.
 */
function findViolations(fileName: string, source: string): Violation[] {
  const sourceFile = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const violations: Violation[] = [];
  const report = (node: ts.Node, reason: string) => {
    const { line } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    violations.push({ file: path.relative(repoRoot, fileName), line: line + 1, reason });
  };
  const checkSpecifier = (node: ts.Node, specifier: string) => {
    const reason = specifierViolation(fileName, specifier);
    if (reason) report(node, reason);
  };

  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteralLike(node.moduleSpecifier)
    ) {
      checkSpecifier(node, node.moduleSpecifier.text);
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteralLike(node.moduleReference.expression)
    ) {
      checkSpecifier(node, node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && isModuleLoader(node.expression)) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first)) checkSpecifier(node, first.text);
      else report(node, "loads a module whose name is computed at run time; use a static import");
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const literal = node.argument.literal;
      if (ts.isStringLiteralLike(literal)) checkSpecifier(node, literal.text);
    } else if (readsProcessEnv(node)) {
      report(node, "reads process.env; take configuration as a parameter (handlers read the environment)");
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return violations;
}

function isModuleLoader(callee: ts.Expression): boolean {
  return (
    callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")
  );
}

/** `process.env`, `process["env"]`, `globalThis.process.env` and `const { env } = process`. */
function readsProcessEnv(node: ts.Node): boolean {
  if (ts.isPropertyAccessExpression(node)) return node.name.text === "env" && isProcess(node.expression);
  if (ts.isElementAccessExpression(node)) {
    const key = node.argumentExpression;
    return ts.isStringLiteralLike(key) && key.text === "env" && isProcess(node.expression);
  }
  if (ts.isVariableDeclaration(node) && node.initializer && isProcess(node.initializer)) {
    return (
      ts.isObjectBindingPattern(node.name) &&
      node.name.elements.some((element) => {
        const key = element.propertyName ?? element.name;
        return (ts.isIdentifier(key) || ts.isStringLiteralLike(key)) && key.text === "env";
      })
    );
  }
  return false;
}

function isProcess(expression: ts.Expression): boolean {
  if (ts.isIdentifier(expression)) return expression.text === "process";
  return (
    ts.isPropertyAccessExpression(expression) &&
    expression.name.text === "process" &&
    ts.isIdentifier(expression.expression) &&
    expression.expression.text === "globalThis"
  );
}

function specifierViolation(fileName: string, specifier: string): string | undefined {
  if (specifier.startsWith(".") || specifier.startsWith("/")) {
    const resolved = path.resolve(path.dirname(fileName), specifier);
    const relative = path.relative(coreDir, resolved);
    if (relative.startsWith("..") || path.isAbsolute(relative)) {
      return `imports '${specifier}', which resolves to ${path.relative(repoRoot, resolved)} outside functions/core; depend on a port in core/ports instead`;
    }
    return undefined;
  }
  if (FORBIDDEN_PACKAGES.some((pattern) => pattern.test(specifier))) {
    return `imports '${specifier}'; core stays free of AWS, middy, Powertools, CDK and I/O modules: put this behind a port and implement it in functions/adapters`;
  }
  return undefined;
}

function typeScriptFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(c|m)?tsx?$/.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** A file name inside core, so that relative imports in the snippets resolve as they would there. */
const snippetFile = path.join(coreDir, "contracts", "events", "snippet.ts");

describe("the dependency rule of functions/core", () => {
  it("holds for every TypeScript file under functions/core", () => {
    // Arrange
    const files = typeScriptFilesUnder(coreDir);

    // Act
    const violations = files.flatMap((file) => findViolations(file, readFileSync(file, "utf8")));

    // Assert
    expect(files.length).toBeGreaterThan(20);
    expect(files).toContain(path.join(coreDir, "contracts", "event-catalog.ts"));
    expect(violations).toEqual([]);
  });

  it.each([
    {
      kind: "an adapter",
      source: 'import { EventBridgePublisher } from "../../../adapters/aws/eventbridge-publisher.js";',
    },
    {
      kind: "a handler",
      source: 'export { createStepHandler } from "../../../handlers/shared/create-step-handler.js";',
    },
    { kind: "the local runtime", source: 'import type { Command } from "../../../local/cli/command.js";' },
    { kind: "the agent", source: 'import "../../../agent/main.js";' },
    { kind: "a Lambda entry", source: 'import * as entry from "../../../lambda/webhook.js";' },
    { kind: "infra", source: 'import { ShiplineStack } from "../../../../infra/shipline-stack.js";' },
    { kind: "the AWS SDK", source: 'import { EventBridgeClient } from "@aws-sdk/client-eventbridge";' },
    { kind: "Powertools", source: 'import type { Logger } from "@aws-lambda-powertools/logger";' },
    { kind: "middy", source: 'import middy from "@middy/core";' },
    { kind: "CDK", source: 'import { Duration } from "aws-cdk-lib";' },
    { kind: "node:fs", source: 'import { readFileSync } from "node:fs";' },
    { kind: "fs", source: 'import fs from "fs";' },
    { kind: "fs/promises", source: 'export { readFile } from "fs/promises";' },
    {
      kind: "node:fs/promises through a dynamic import",
      source: 'const fs = await import("node:fs/promises");',
    },
    { kind: "fs through require", source: 'const fs = require("fs");' },
    { kind: "fs through import-equals", source: 'import fs = require("node:fs");' },
    {
      kind: "an SDK type through an import type",
      source: 'type Client = import("@aws-sdk/client-sqs").SQSClient;',
    },
    { kind: "a computed dynamic import", source: "const mod = await import(name);" },
  ])("catches a core file that imports $kind", ({ source }) => {
    // Act
    const violations = findViolations(snippetFile, source);

    // Assert
    expect(violations).toHaveLength(1);
    expect(violations[0]?.reason).toMatch(/imports|loads a module/);
  });

  it.each([
    { form: "process.env.X", source: "export const bus = process.env.EVENT_BUS_NAME;" },
    { form: 'process["env"]', source: 'export const env = process["env"];' },
    { form: "globalThis.process.env", source: "export const env = globalThis.process.env;" },
    { form: "destructuring", source: "const { env } = process;" },
    { form: "renamed destructuring", source: "const { env: vars } = process;" },
  ])("catches a core file that reads the environment through $form", ({ source }) => {
    // Act
    const violations = findViolations(snippetFile, source);

    // Assert
    expect(violations).toEqual([
      expect.objectContaining({ line: 1, reason: expect.stringMatching(/process\.env/) }),
    ]);
  });

  it("reports the line of the offending import", () => {
    // Arrange
    const source = ['import { z } from "zod";', "", 'import { SQSClient } from "@aws-sdk/client-sqs";'].join(
      "\n",
    );

    // Act
    const violations = findViolations(snippetFile, source);

    // Assert
    expect(violations).toEqual([
      {
        file: "functions/core/contracts/events/snippet.ts",
        line: 3,
        reason: expect.stringContaining("'@aws-sdk/client-sqs'"),
      },
    ]);
  });

  it("allows pure packages, imports inside core, and mere mentions in comments and strings", () => {
    // Arrange
    const source = [
      'import { z } from "zod";',
      'import { createHmac } from "node:crypto";',
      'import { detailBase } from "../detail-base.js";',
      'import type { EventPublisher } from "../../ports/event-publisher.js";',
      "// process.env and @aws-sdk/client-sqs are read by adapters, not here",
      'export const hint = "set process.env.EVENT_BUS_NAME or import(\\"node:fs\\")";',
      "export const env = { process: 1 }.process;",
    ].join("\n");

    // Act
    const violations = findViolations(snippetFile, source);

    // Assert
    expect(violations).toEqual([]);
  });
});
