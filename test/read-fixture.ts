import { readFileSync } from "node:fs";
import path from "node:path";

/**
 * The samples the tests read: AWS events (`aws/`), webhook deliveries (`webhooks/`) and Argo CD
 * resources (`argocd/`), written for Shipline in the shapes AWS, the git hosts and Argo CD document.
 * The real samples they were checked against stay outside the repository (`npm run conformance`).
 */
export const FIXTURES_DIR = path.resolve(import.meta.dirname, "fixtures");

/** The absolute path of a fixture, e.g. `fixturePath("aws/ecr-image-action.push.json")`. */
export function fixturePath(relativePath: string): string {
  return path.join(FIXTURES_DIR, relativePath);
}

/** The exact bytes of a fixture, for tests that sign or compare a body byte for byte. */
export function readFixtureBytes(relativePath: string): Buffer {
  return readFileSync(fixturePath(relativePath));
}

/** A JSON fixture, parsed, e.g. `readFixture("aws/ecr-image-scan.complete.json")`. */
export function readFixture(relativePath: string): unknown {
  return JSON.parse(readFileSync(fixturePath(relativePath), "utf8"));
}
