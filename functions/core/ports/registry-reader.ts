/**
 * Port that reads manifests from a registry of the OCI distribution API, as the webhook resolves an
 * announced image: a tag's digest, or whether a digest exists. Implementations throw a coded
 * ShiplineError when the registry cannot be read (retryable when it may answer later, such as an
 * outage or throttling; not when the credentials are refused) and answer `undefined` for a tag or
 * digest the registry does not have.
 *
 * @example
 * ```ts
 * const digest = await reader.resolveTag("acme/api", "1.4.2"); // "sha256:…" or undefined
 * ```
 */
export interface RegistryReader {
  /** The digest the tag points at; `undefined` when the repository has no such tag. */
  resolveTag(repository: string, tag: string): Promise<string | undefined>;
  /** The manifest of a digest (checked against its content); `undefined` when the registry has none. */
  getManifest(repository: string, reference: string): Promise<{ readonly digest: string } | undefined>;
}
