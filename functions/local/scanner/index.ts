export * from "./command-scanner.js";
export * from "./declared-findings-scanner.js";
export * from "./image-scan-event.js";
export * from "./image-scanner.js";
export * from "./local-scan-service.js";
export * from "./tar-entry.js";
