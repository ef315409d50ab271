#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, so the same sources serve Lambda bundles, tests and the CLI.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../functions/local/cli/main.ts");
process.exitCode = await main(process.argv.slice(2));
