/**
 * The OCI annotation (and image label) that names the source commit an image was built from. Shipline's
 * builds set it, and `image-pushed` reads it first to find the commit of a pushed image.
 */
export const REVISION_LABEL = "org.opencontainers.image.revision";

/**
 * The label a Shipline build puts on its image with the journey's correlation id, so that the
 * `Image Pushed` of that image continues the journey its `Commit Pushed` began. An image without it
 * (pushed by another CI) starts a journey of its own.
 */
export const CORRELATION_LABEL = "dev.shipline.correlation-id";

/** The OCI label with the time the image was created (a fixed time in reproducible builds). */
export const CREATED_LABEL = "org.opencontainers.image.created";
