export {
  type ImageSummary,
  type LocalRegistry,
  type LocalRegistryOptions,
  type StoredManifest,
  startLocalRegistry,
} from "./local-registry.js";
export {
  type Descriptor,
  ManifestMediaType,
  type ManifestMediaTypeName,
  type ParsedManifest,
} from "./manifest-document.js";
export { type OciErrorCode, ociErrorResponse, registryError } from "./registry-error.js";
