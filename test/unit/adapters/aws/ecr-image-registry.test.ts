import { createHash } from "node:crypto";
import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
  RepositoryNotFoundException,
} from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { EcrImageRegistry } from "../../../../functions/adapters/aws/ecr-image-registry.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

const ecr = mockClient(ECRClient);
const SHA = "0123456789abcdef0123456789abcdef01234567";
const CONFIG = Buffer.from(
  JSON.stringify({
    architecture: "amd64",
    os: "linux",
    config: { Labels: { "org.opencontainers.image.revision": SHA } },
  }),
);
const CONFIG_DIGEST = `sha256:${createHash("sha256").update(CONFIG).digest("hex")}`;
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: {
    mediaType: "application/vnd.oci.image.config.v1+json",
    digest: CONFIG_DIGEST,
    size: CONFIG.length,
  },
  layers: [],
});
const DIGEST = `sha256:${"d".repeat(64)}`;
const PLATFORM = `sha256:${"e".repeat(64)}`;
const URL =
  "https://prod-eu-west-1-starport-layer-bucket.s3.eu-west-1.amazonaws.com/config?X-Amz-Signature=abc";

function downloads(body: Buffer = CONFIG) {
  const urls: string[] = [];
  const fetch = async (url: string) => {
    urls.push(url);
    return new Response(new Uint8Array(body));
  };
  return { urls, fetch };
}

afterEach(() => {
  ecr.reset();
});

describe("EcrImageRegistry.getImageLabels", () => {
  it("reads the labels from the config blob of the manifest BatchGetImage returns", async () => {
    // Arrange
    ecr
      .on(BatchGetImageCommand)
      .resolves({ images: [{ imageId: { imageDigest: DIGEST }, imageManifest: MANIFEST }], failures: [] });
    ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: URL, layerDigest: CONFIG_DIGEST });
    const { urls, fetch } = downloads();
    const registry = new EcrImageRegistry({
      client: new ECRClient({ region: "eu-west-1" }),
      registryId: "123456789012",
      fetch,
    });

    // Act
    const labels = await registry.getImageLabels("demo", DIGEST);

    // Assert
    expect(labels).toEqual({ "org.opencontainers.image.revision": SHA });
    const [batch] = ecr.commandCalls(BatchGetImageCommand);
    expect(batch?.args[0].input).toMatchObject({
      repositoryName: "demo",
      registryId: "123456789012",
      imageIds: [{ imageDigest: DIGEST }],
      acceptedMediaTypes: expect.arrayContaining([
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.oci.image.index.v1+json",
      ]),
    });
    expect(ecr.commandCalls(GetDownloadUrlForLayerCommand)[0]?.args[0].input).toMatchObject({
      repositoryName: "demo",
      layerDigest: CONFIG_DIGEST,
    });
    expect(urls).toEqual([URL]);
  });

  it("follows an index to its first platform image, past attestations", async () => {
    // Arrange
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.index.v1+json",
      manifests: [
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: `sha256:${"f".repeat(64)}`,
          size: 1,
          platform: { os: "unknown", architecture: "unknown" },
        },
        {
          mediaType: "application/vnd.oci.image.manifest.v1+json",
          digest: PLATFORM,
          size: 1,
          platform: { os: "linux", architecture: "arm64" },
        },
      ],
    });
    ecr
      .on(BatchGetImageCommand, { imageIds: [{ imageDigest: DIGEST }] })
      .resolves({ images: [{ imageId: { imageDigest: DIGEST }, imageManifest: index }] });
    ecr
      .on(BatchGetImageCommand, { imageIds: [{ imageDigest: PLATFORM }] })
      .resolves({ images: [{ imageId: { imageDigest: PLATFORM }, imageManifest: MANIFEST }] });
    ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: URL });
    const registry = new EcrImageRegistry({
      client: new ECRClient({ region: "eu-west-1" }),
      fetch: downloads().fetch,
    });

    // Act
    const labels = await registry.getImageLabels("demo", DIGEST);

    // Assert
    expect(labels?.["org.opencontainers.image.revision"]).toBe(SHA);
  });

  it("answers undefined for an image or repository that is gone", async () => {
    // Arrange
    ecr.on(BatchGetImageCommand, { repositoryName: "demo" }).resolves({
      images: [],
      failures: [{ imageId: { imageDigest: DIGEST }, failureCode: "ImageNotFound" }],
    });
    ecr
      .on(BatchGetImageCommand, { repositoryName: "gone" })
      .rejects(new RepositoryNotFoundException({ message: "no such repository", $metadata: {} }));
    const registry = new EcrImageRegistry({
      client: new ECRClient({ region: "eu-west-1" }),
      fetch: downloads().fetch,
    });

    // Act & Assert
    expect(await registry.getImageLabels("demo", DIGEST)).toBeUndefined();
    expect(await registry.getImageLabels("gone", DIGEST)).toBeUndefined();
  });

  it("refuses a config download that does not match its digest, as a retryable error", async () => {
    // Arrange
    ecr
      .on(BatchGetImageCommand)
      .resolves({ images: [{ imageId: { imageDigest: DIGEST }, imageManifest: MANIFEST }] });
    ecr.on(GetDownloadUrlForLayerCommand).resolves({ downloadUrl: URL });
    const registry = new EcrImageRegistry({
      client: new ECRClient({ region: "eu-west-1" }),
      fetch: downloads(Buffer.from("{}")).fetch,
    });

    // Act
    const error = await registry.getImageLabels("demo", DIGEST).catch((caught: unknown) => caught);

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({ code: "REGISTRY_UNAVAILABLE", retryable: true });
  });

  it("turns a throttled call into a retryable error that names the call and the repository", async () => {
    // Arrange
    const throttled = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException" });
    ecr.on(BatchGetImageCommand).rejects(throttled);
    const registry = new EcrImageRegistry({
      client: new ECRClient({ region: "eu-west-1" }),
      fetch: downloads().fetch,
    });

    // Act
    const error = await registry.getImageLabels("demo", DIGEST).catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "REGISTRY_UNAVAILABLE", retryable: true });
    expect(String(error)).toMatch(/BatchGetImage failed for repository 'demo' \(ThrottlingException/);
  });
});

describe("EcrImageRegistry.listImagesSince", () => {
  it("reads every page of DescribeImages and keeps the images pushed since the time, oldest first", async () => {
    // Arrange
    ecr
      .on(DescribeImagesCommand)
      .resolvesOnce({
        imageDetails: [
          {
            imageDigest: `sha256:${"b".repeat(64)}`,
            imageTags: ["b"],
            imagePushedAt: new Date("2026-03-01T11:50:00Z"),
          },
          {
            imageDigest: `sha256:${"0".repeat(64)}`,
            imageTags: ["old"],
            imagePushedAt: new Date("2026-03-01T10:00:00Z"),
          },
        ],
        nextToken: "page-2",
      })
      .resolvesOnce({
        imageDetails: [
          { imageDigest: `sha256:${"a".repeat(64)}`, imagePushedAt: new Date("2026-03-01T11:40:00Z") },
        ],
      });
    const registry = new EcrImageRegistry({ client: new ECRClient({ region: "eu-west-1" }) });

    // Act
    const images = await registry.listImagesSince("demo", new Date("2026-03-01T11:00:00Z"));

    // Assert
    expect(images).toEqual([
      {
        repository: "demo",
        digest: `sha256:${"a".repeat(64)}`,
        tags: [],
        pushedAt: new Date("2026-03-01T11:40:00Z"),
      },
      {
        repository: "demo",
        digest: `sha256:${"b".repeat(64)}`,
        tags: ["b"],
        pushedAt: new Date("2026-03-01T11:50:00Z"),
      },
    ]);
    const calls = ecr.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input);
    expect(calls).toEqual([
      expect.objectContaining({ repositoryName: "demo", filter: { tagStatus: "ANY" } }),
      expect.objectContaining({ nextToken: "page-2" }),
    ]);
  });

  it("lists nothing for a repository that does not exist", async () => {
    // Arrange
    ecr
      .on(DescribeImagesCommand)
      .rejects(new RepositoryNotFoundException({ message: "no such repository", $metadata: {} }));
    const registry = new EcrImageRegistry({ client: new ECRClient({ region: "eu-west-1" }) });

    // Act & Assert
    expect(await registry.listImagesSince("demo", undefined)).toEqual([]);
  });
});
