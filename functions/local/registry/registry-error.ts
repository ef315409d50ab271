import { ShiplineError } from "../../core/errors/shipline-error.js";

/**
 * Error codes of the OCI distribution specification (v1.1), plus `UNKNOWN` for failures the
 * specification has no code for.
 */
export type OciErrorCode =
  | "BLOB_UNKNOWN"
  | "BLOB_UPLOAD_INVALID"
  | "BLOB_UPLOAD_UNKNOWN"
  | "DIGEST_INVALID"
  | "MANIFEST_BLOB_UNKNOWN"
  | "MANIFEST_INVALID"
  | "MANIFEST_UNKNOWN"
  | "NAME_INVALID"
  | "NAME_UNKNOWN"
  | "SIZE_INVALID"
  | "TAG_INVALID"
  | "UNAUTHORIZED"
  | "DENIED"
  | "UNSUPPORTED"
  | "TOOMANYREQUESTS"
  | "UNKNOWN";

/** Prefix of the {@link ShiplineError} code of every registry error: `REGISTRY_BLOB_UNKNOWN`. */
export const REGISTRY_ERROR_PREFIX = "REGISTRY_";

/** What {@link registryError} needs. */
export interface RegistryErrorOptions {
  /** HTTP status of the response. */
  readonly status: number;
  /** The specification's error code, sent in the body. */
  readonly code: OciErrorCode;
  /** What was wrong, the bad value and how to fix it. */
  readonly message: string;
  /** Structured detail sent in the body's `detail` field. */
  readonly detail?: Readonly<Record<string, unknown>>;
}

/**
 * Creates the error a registry route throws: a {@link ShiplineError} whose code is
 * `REGISTRY_<OCI code>` and whose data carries the HTTP status and the OCI detail, so that the
 * router can answer with the specification's error body.
 *
 * @example
 * ```ts
 * throw registryError({ status: 404, code: "BLOB_UNKNOWN", message: `blob ${digest} is not in ${name}` });
 * ```
 */
export function registryError(options: RegistryErrorOptions): ShiplineError {
  return new ShiplineError({
    code: `${REGISTRY_ERROR_PREFIX}${options.code}`,
    message: options.message,
    data: { status: options.status, ociCode: options.code, detail: options.detail ?? {} },
  });
}

/** An error response: status and the body `{"errors":[{code,message,detail}]}`. */
export interface OciErrorResponse {
  readonly status: number;
  readonly body: {
    readonly errors: readonly { readonly code: string; readonly message: string; readonly detail: unknown }[];
  };
}

/**
 * Turns any thrown value into the response the registry sends: a registry error keeps its status
 * and code; anything else is a 500 `UNKNOWN` whose message names the failure.
 *
 * @example
 * ```ts
 * const { status, body } = ociErrorResponse(error);
 * ```
 */
export function ociErrorResponse(error: unknown): OciErrorResponse {
  if (error instanceof ShiplineError && error.code.startsWith(REGISTRY_ERROR_PREFIX)) {
    const status = typeof error.data.status === "number" ? error.data.status : 500;
    const code = typeof error.data.ociCode === "string" ? error.data.ociCode : "UNKNOWN";
    return { status, body: { errors: [{ code, message: error.message, detail: error.data.detail ?? {} }] } };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    status: 500,
    body: { errors: [{ code: "UNKNOWN", message: `registry failure: ${message}`, detail: {} }] },
  };
}
