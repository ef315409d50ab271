// The image-pushed Lambda entry (step 4) for a configuration where an app's accept.branches names
// branches: the image's commit is proven to be on one of them by reading the app's repository.
import { imagePushedHandler } from "./image-pushed-handler.js";
import { sourceBranchesFor } from "./source-branches.js";

/** The image-pushed handler, with the reader of app repositories' branches. */
export const handler = imagePushedHandler(sourceBranchesFor);
