import { REGISTRY_SOURCE } from "../../functions/core/contracts/registry/registry-image-pushed.js";
import { REGISTRY_SCAN_COMPLETED } from "../../functions/core/contracts/registry/registry-scan-completed.js";

/**
 * The variables of the scan job: the project's (bus, bucket), those each build gets from its rule
 * (the image and, for a registry with an account, the account's secret), and the buildspec's own
 * scripts.
 */
export const RegistryScanVariable = {
  /** Shipline's bus, where `Registry Scan Completed` is put. */
  EventBus: "SHIPLINE_EVENT_BUS",
  /** The scan reports' bucket. */
  ReportsBucket: "SHIPLINE_SCAN_REPORTS_BUCKET",
  /** The image as `Image Pushed` names it: `<host>/<repository>:<tag>@<digest>` (logged). */
  ImageUri: "IMAGE_URI",
  /** The registry's host, e.g. `ghcr.io`. */
  Registry: "REGISTRY",
  /** The repository inside the registry, e.g. `acme/api`. */
  Repository: "REPOSITORY",
  /** The manifest digest; the image is scanned by digest. */
  Digest: "DIGEST",
  /** The Secrets Manager secret of the registry's account, when it has one. */
  RegistrySecret: "REGISTRY_SECRET",
  /** The script that writes the PutEvents entries of `Registry Scan Completed`. */
  EventScript: "SHIPLINE_SCAN_EVENT_SCRIPT",
  /** The script that reads one field of the account's JSON secret. */
  AccountScript: "SHIPLINE_ACCOUNT_SCRIPT",
} as const;

/** A pinned Trivy release: its version and the SHA-256 of its linux x86-64 archive. */
export interface TrivyRelease {
  /** e.g. `0.69.3`. */
  readonly version: string;
  /** The SHA-256 of `trivy_<version>_Linux-64bit.tar.gz`, as the release's checksums file lists it. */
  readonly sha256: string;
}

/**
 * The Trivy release the scan job installs: 0.69.3, the SHA-256 of its linux x86-64 archive as
 * Trivy's release checksums list it.
 */
export const DEFAULT_TRIVY_RELEASE: TrivyRelease = {
  version: "0.69.3",
  sha256: "1816b632dfe529869c740c0913e36bd1629cb7688bd5634f4a858c1d57c88b75",
};

const V = RegistryScanVariable;

/**
 * Writes the one PutEvents entry of the scan's outcome to stdout, from the build's variables
 * (`STATUS` and `REPORT_KEY` are set by the post_build command). JSON.stringify keeps the names
 * exactly as the contract spells them, whatever the repository holds.
 */
const EVENT_SCRIPT = [
  "const e = process.env;",
  `const detail = { registry: e.${V.Registry}, repository: e.${V.Repository}, digest: e.${V.Digest}, status: e.STATUS, scanner: "trivy", occurredAt: new Date().toISOString() };`,
  'if (e.STATUS === "COMPLETE") detail.reportKey = e.REPORT_KEY;',
  `process.stdout.write(JSON.stringify([{ EventBusName: e.${V.EventBus}, Source: ${JSON.stringify(REGISTRY_SOURCE)}, DetailType: ${JSON.stringify(REGISTRY_SCAN_COMPLETED)}, Detail: JSON.stringify(detail) }]));`,
].join("\n");

/**
 * Prints the first present field of the registry account's JSON (stdin) among its arguments:
 * `{"username", "password"}` or Harbor's robot export `{"name", "secret"}`.
 */
const ACCOUNT_SCRIPT = [
  'const account = JSON.parse(require("fs").readFileSync(0, "utf8"));',
  'const value = process.argv.slice(1).map((key) => account[key]).find((found) => typeof found === "string");',
  'if (!value) { console.error("the registry account secret has none of " + process.argv.slice(1).join(", ")); process.exit(1); }',
  "process.stdout.write(value);",
].join("\n");

/**
 * The buildspec of the scan job of registries of kind oci. `build` installs the pinned Trivy
 * (checksum verified before it is unpacked), downloads its vulnerability databases, reads the
 * registry's account from Secrets Manager when the build names one, and scans the image by digest
 * into `report.json`. `post_build`, which runs whether `build` failed or not, uploads the report to
 * `scans/<registry>/<repository>/<digest>.json` and puts `Registry Scan Completed` on Shipline's
 * bus: `COMPLETE`, or `FAILED` when the scan or the upload failed, so that the gate fails closed
 * at once instead of waiting for the timeout.
 *
 * @example
 * ```ts
 * codebuild.BuildSpec.fromObjectToYaml(registryScanBuildspec(DEFAULT_TRIVY_RELEASE));
 * ```
 */
export function registryScanBuildspec(trivy: TrivyRelease): Record<string, unknown> {
  const archive = `trivy_${trivy.version}_Linux-64bit.tar.gz`;
  const image = `"\${${V.Registry}}/\${${V.Repository}}@\${${V.Digest}}"`;
  const scan = [
    "(",
    "  set -euo pipefail",
    `  echo "Scanning \${${V.ImageUri}:-${image.slice(1, -1)}}"`,
    `  curl -fsSL --retry 3 -o trivy.tar.gz "https://github.com/aquasecurity/trivy/releases/download/v${trivy.version}/${archive}"`,
    `  echo "${trivy.sha256}  trivy.tar.gz" | sha256sum -c -`,
    "  tar -xzf trivy.tar.gz trivy",
    // The databases are fetched before the registry's account is in the environment, so that the
    // account is never offered to the databases' registry.
    "  ./trivy image --quiet --download-db-only",
    "  ./trivy image --quiet --download-java-db-only",
    `  if [ -n "\${${V.RegistrySecret}:-}" ]; then`,
    `    account="$(aws secretsmanager get-secret-value --secret-id "\${${V.RegistrySecret}}" --query SecretString --output text)"`,
    `    TRIVY_USERNAME="$(printf '%s' "$account" | node -e "$${V.AccountScript}" username name)"`,
    `    TRIVY_PASSWORD="$(printf '%s' "$account" | node -e "$${V.AccountScript}" password secret)"`,
    "    export TRIVY_USERNAME TRIVY_PASSWORD",
    "  fi",
    `  ./trivy image --quiet --skip-db-update --skip-java-db-update --image-src remote --scanners vuln --format json --output report.json ${image}`,
    ")",
  ].join("\n");
  const publish = [
    `REPORT_KEY="scans/\${${V.Registry}}/\${${V.Repository}}/\${${V.Digest}}.json"`,
    "STATUS=FAILED",
    `if [ "\${CODEBUILD_BUILD_SUCCEEDING:-0}" = "1" ] && aws s3 cp --only-show-errors report.json "s3://\${${V.ReportsBucket}}/\${REPORT_KEY}"; then STATUS=COMPLETE; fi`,
    "export STATUS REPORT_KEY",
    `node -e "$${V.EventScript}" > entries.json`,
    'failed="$(aws events put-events --entries file://entries.json --query FailedEntryCount --output text)"',
    'if [ "$failed" != "0" ]; then echo "Registry Scan Completed was not put on the bus ($failed failed)" >&2; exit 1; fi',
    'echo "Registry Scan Completed: $STATUS"',
  ].join("\n");
  return {
    version: "0.2",
    env: {
      shell: "bash",
      variables: { [V.EventScript]: EVENT_SCRIPT, [V.AccountScript]: ACCOUNT_SCRIPT },
    },
    phases: {
      build: { commands: [scan] },
      post_build: { commands: [publish] },
    },
  };
}
