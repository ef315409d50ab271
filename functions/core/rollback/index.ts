export * from "./plan-rollback.js";
export * from "./rollback-committed.js";
export * from "./rollback-intent-id.js";
