import { beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { CodeCommitCredentials } from "../../../../../functions/adapters/aws/git-credentials/codecommit-credentials.js";
import { signCodeCommitGitRequest } from "../../../../../functions/adapters/aws/git-credentials/codecommit-signature.js";
import { readFixture } from "../../../../read-fixture.js";

const vectorFile = z.object({
  inputs: z.object({
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
    sessionToken: z.string(),
    region: z.string(),
    repository: z.string(),
    timestamp: z.string(),
  }),
  canonicalRequest: z.string(),
  stringToSign: z.string(),
  signature: z.string(),
  gitHttpUsername: z.string(),
  gitHttpPassword: z.string(),
  url: z.string(),
});

type Vector = z.infer<typeof vectorFile>;

let vector: Vector;
let signedAt: Date;

beforeAll(() => {
  vector = vectorFile.parse(readFixture("aws/codecommit-git-credentials.vector.json"));
  const t = vector.inputs.timestamp;
  signedAt = new Date(
    `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}Z`,
  );
});

describe("signCodeCommitGitRequest", () => {
  it("reproduces the vector computed outside Shipline: canonical request, string to sign, signature, user name and password", () => {
    // Arrange
    const url = new URL(vector.url);

    // Act
    const signed = signCodeCommitGitRequest({
      accessKeyId: vector.inputs.accessKeyId,
      secretAccessKey: vector.inputs.secretAccessKey,
      sessionToken: vector.inputs.sessionToken,
      region: vector.inputs.region,
      host: url.host,
      path: url.pathname,
      time: signedAt,
    });

    // Assert
    expect(signed.canonicalRequest).toBe(vector.canonicalRequest);
    expect(signed.stringToSign).toBe(vector.stringToSign);
    expect(signed.signature).toBe(vector.signature);
    expect(signed.username).toBe(vector.gitHttpUsername);
    expect(signed.password).toBe(vector.gitHttpPassword);
  });

  it("uses the bare access key id as the user name when there is no session token", () => {
    // Arrange
    const url = new URL(vector.url);

    // Act
    const signed = signCodeCommitGitRequest({
      accessKeyId: vector.inputs.accessKeyId,
      secretAccessKey: vector.inputs.secretAccessKey,
      region: vector.inputs.region,
      host: url.host,
      path: url.pathname,
      time: signedAt,
    });

    // Assert
    expect(signed.username).toBe(vector.inputs.accessKeyId);
    expect(signed.signature).toBe(vector.signature);
  });
});

describe("CodeCommitCredentials", () => {
  it("signs for the repository and region of the URL with the function's own credentials", async () => {
    // Arrange
    const provider = new CodeCommitCredentials({
      awsCredentials: async () => ({
        accessKeyId: vector.inputs.accessKeyId,
        secretAccessKey: vector.inputs.secretAccessKey,
        sessionToken: vector.inputs.sessionToken,
        expiration: new Date(signedAt.getTime() + 3_600_000),
      }),
      region: "eu-west-1",
      clock: { now: () => signedAt },
    });

    // Act
    const credential = await provider.credentials(vector.url);

    // Assert
    expect(credential.username).toBe(vector.gitHttpUsername);
    expect(credential.password).toBe(vector.gitHttpPassword);
    expect(credential.expiresAt).toEqual(new Date(signedAt.getTime() + 300_000));
  });

  it("expires the password with the role's credentials when they end sooner", async () => {
    // Arrange
    const provider = new CodeCommitCredentials({
      awsCredentials: async () => ({
        accessKeyId: "AKIDEXAMPLE",
        secretAccessKey: "secret-key-example",
        sessionToken: "session",
        expiration: new Date(signedAt.getTime() + 120_000),
      }),
      clock: { now: () => signedAt },
    });

    // Act
    const credential = await provider.credentials(
      "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/deploy",
    );

    // Assert
    expect(credential.expiresAt).toEqual(new Date(signedAt.getTime() + 120_000));
  });

  it("signs a VPC endpoint host with the configured region", async () => {
    // Arrange
    const host = "vpce-0123-abcd.git-codecommit.eu-west-1.vpce.amazonaws.com";
    const provider = new CodeCommitCredentials({
      awsCredentials: async () => ({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret-key-example" }),
      region: "eu-west-1",
      clock: { now: () => signedAt },
    });

    // Act
    const credential = await provider.credentials(`https://${host}/v1/repos/deploy`);

    // Assert
    const expected = signCodeCommitGitRequest({
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: "secret-key-example",
      region: "eu-west-1",
      host,
      path: "/v1/repos/deploy",
      time: signedAt,
    });
    expect(credential.password).toBe(expected.password);
  });

  it("refuses a URL that is not a CodeCommit repository, permanently", async () => {
    // Arrange
    const provider = new CodeCommitCredentials({
      awsCredentials: async () => ({ accessKeyId: "AKIDEXAMPLE", secretAccessKey: "secret-key-example" }),
      clock: { now: () => signedAt },
    });

    // Act
    const error = await provider
      .credentials("https://github.com/acme/deploy.git")
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "GIT_CREDENTIALS_DENIED", retryable: false });
  });

  it("reports unresolvable AWS credentials as retryable", async () => {
    // Arrange
    const provider = new CodeCommitCredentials({
      awsCredentials: async () => {
        throw new Error("no credentials in the chain");
      },
      clock: { now: () => signedAt },
    });

    // Act
    const error = await provider.credentials(vector.url).catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "GIT_CREDENTIALS_UNAVAILABLE", retryable: true });
  });
});
