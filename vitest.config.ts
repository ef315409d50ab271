import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    environment: "node",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // CDK validates every synthesized template with a WebAssembly rule engine (seconds per worker and
    // per synthesis). The tests assert on templates themselves and run cdk-nag explicitly.
    env: { CDK_VALIDATION: "false" },
    // One worker per core: the suite is CPU-bound (git child processes, CDK synthesis), and a third
    // worker on 2 cores cost more in contention and module loading than it won in overlapped waits
    // (measured: vitest 2m37s with 2 workers against 3m11s with 3).
    maxWorkers: 2,
    reporters: ["default"],
    projects: [
      {
        extends: true,
        test: {
          // In-process tests: a worker imports zod, the AWS SDK and aws-cdk-lib once for all its files
          // instead of once per file, so a file must leave no global state behind (restore what it
          // stubs, put back the environment variables it sets).
          name: "unit",
          include: ["test/unit/**/*.test.ts", "test/infra/**/*.test.ts"],
          pool: "forks",
          isolate: false,
          setupFiles: ["test/unit/restore-client-mocks.ts"],
        },
      },
      {
        extends: true,
        test: {
          // Servers, git child processes and whole local platforms, each started and stopped by its
          // own file: the worker's modules are shared too, the processes and ports are not.
          name: "integration",
          include: ["test/integration/**/*.test.ts", "test/reliability/**/*.test.ts"],
          pool: "forks",
          isolate: false,
        },
      },
    ],
  },
});
