import type { BusEntry } from "../bus-entry.js";
import {
  REGISTRY_IMAGE_PUSHED,
  REGISTRY_SOURCE,
  type RegistryImagePushedRequest,
  registryImagePushedDetail,
} from "../registry/registry-image-pushed.js";
import {
  HARBOR_SOURCE,
  HarborDetailType,
  type HarborEventRequest,
  harborArtifactPushedDetail,
  harborScanCompletedDetail,
} from "./harbor-events.js";

/**
 * A registry's event (Harbor's, or `Registry Image Pushed`) as a PutEvents entry of the `shipline` bus, its detail checked against its contract
 * (a bad one throws zod's error: it is a fault of the caller, which built it).
 *
 * @example
 * ```ts
 * const entry = harborBusEntry({ detailType: HarborDetailType.ArtifactPushed, detail }, "shipline");
 * ```
 */
export function harborBusEntry(
  request: HarborEventRequest | RegistryImagePushedRequest,
  busName: string,
): BusEntry {
  if (request.detailType === REGISTRY_IMAGE_PUSHED) {
    return {
      Source: REGISTRY_SOURCE,
      DetailType: request.detailType,
      Detail: JSON.stringify(registryImagePushedDetail.parse(request.detail)),
      Resources: [],
      EventBusName: busName,
    };
  }
  const detail =
    request.detailType === HarborDetailType.ArtifactPushed
      ? harborArtifactPushedDetail.parse(request.detail)
      : harborScanCompletedDetail.parse(request.detail);
  return {
    Source: HARBOR_SOURCE,
    DetailType: request.detailType,
    Detail: JSON.stringify(detail),
    Resources: [],
    EventBusName: busName,
  };
}
