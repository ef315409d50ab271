// The image-pushed Lambda entry (step 4) for a configuration whose apps name no accept.branches:
// it bundles no git (isomorphic-git and the source credential providers, about 130 KB of cold
// start). The stack deploys image-pushed-branches.ts when an app names branches.
import { imagePushedHandler } from "./image-pushed-handler.js";

/** The image-pushed handler. */
export const handler = imagePushedHandler();
