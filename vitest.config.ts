import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Integration tests mostly wait on git, servers and child processes: more workers than cores pay off.
    maxWorkers: 3,
    reporters: ["default"],
  },
});
