export { type PlanSyncRequestOptions, planSyncRequest } from "./plan-sync-request.js";
