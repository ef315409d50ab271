export * from "./commit-message.js";
export * from "./plan-batch.js";
export * from "./plan-revert.js";
export * from "./retry-policy.js";
export * from "./scalar-diff.js";
export * from "./target-edit.js";
export * from "./write-config.js";
export * from "./write-intent.js";
