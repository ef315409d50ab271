export * from "./command-scanner.js";
export * from "./declared-findings-scanner.js";
export * from "./grype-report.js";
export * from "./image-scan-event.js";
export * from "./image-scanner.js";
export * from "./local-scan-service.js";
export * from "./tar-entry.js";
export * from "./trivy-report.js";
