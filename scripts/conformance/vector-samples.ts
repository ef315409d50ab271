import { EventBridgeClient, PutEventsCommand } from "@aws-sdk/client-eventbridge";
import { mockClient } from "aws-sdk-client-mock";
import * as z from "zod";
import { EventBridgePublisher } from "../../functions/adapters/aws/eventbridge-publisher.js";
import { signCodeCommitGitRequest } from "../../functions/adapters/aws/git-credentials/codecommit-signature.js";
import { entrySize } from "../../functions/core/contracts/bus-entry.js";
import { DetailType } from "../../functions/core/contracts/detail-type.js";
import {
  signHmacSha256Hex,
  verifyHmacHexSignature,
} from "../../functions/core/webhook/hmac-hex-signature.js";
import { signWebhookBody } from "../../functions/local/git-server/webhook-signature.js";
import { checked, differences, mismatch, type Outcome, ok } from "./outcome.js";
import type { SampleStore } from "./sample-store.js";

const SIGNATURES = "fixtures/webhooks/webhook-signature-vectors.json";
const SIGV4 = "fixtures/aws/codecommit-git-sigv4-credentials.vector.json";
const PUT_EVENTS = "fixtures/aws/eventbridge-putevents.partial-failure.awsdocs.json";

const signatureVectors = z.object({
  github_docs_test_vector: z.object({
    secret: z.string(),
    payload: z.string(),
    signature_hex: z.string(),
    x_hub_signature_256: z.string(),
  }),
});

const sigV4Vector = z.object({
  inputs: z.object({
    accessKeyId: z.string(),
    secretAccessKey: z.string(),
    sessionToken: z.string(),
    region: z.string(),
    timestamp: z.string(),
  }),
  canonicalRequest: z.string(),
  stringToSign: z.string(),
  signature: z.string(),
  gitHttpUsername: z.string(),
  gitHttpPassword: z.string(),
  url: z.string(),
});

const putEvents = z.object({
  request: z.object({
    Entries: z.array(
      z.object({
        Source: z.string(),
        DetailType: z.string(),
        Detail: z.string(),
        Resources: z.array(z.string()),
      }),
    ),
  }),
  responsePartialFailure: z.object({
    FailedEntryCount: z.number(),
    Entries: z.array(
      z.object({
        EventId: z.string().optional(),
        ErrorCode: z.string().optional(),
        ErrorMessage: z.string().optional(),
      }),
    ),
  }),
});

/**
 * Reproduces the published test vectors with Shipline's signing code (webhook HMAC, CodeCommit's
 * SigV4 git credentials) and runs the EventBridge publisher over PutEvents' documented answer.
 */
export async function checkVectorSamples(samples: SampleStore): Promise<Outcome[]> {
  return [
    await checked(SIGNATURES, () => webhookSignature(samples.json(SIGNATURES))),
    await checked(SIGV4, () => codeCommitSignature(samples.json(SIGV4))),
    await checked(PUT_EVENTS, () => eventBridgePutEvents(samples.json(PUT_EVENTS))),
  ];
}

function webhookSignature(sample: unknown): Outcome {
  const vector = signatureVectors.parse(sample).github_docs_test_vector;
  const body = Buffer.from(vector.payload);
  const verdict = verifyHmacHexSignature({
    signature: vector.x_hub_signature_256,
    prefix: "sha256=",
    rawBody: body,
    secrets: [vector.secret],
  });
  const problems = differences(
    { verified: true, signed: vector.signature_hex, localGitServer: vector.x_hub_signature_256 },
    {
      verified: verdict.valid,
      signed: signHmacSha256Hex(vector.secret, body),
      localGitServer: signWebhookBody(vector.secret, body),
    },
  );
  return problems.length > 0
    ? mismatch(SIGNATURES, problems.join("; "))
    : ok(
        SIGNATURES,
        "GitHub's documented X-Hub-Signature-256 vector verifies and is reproduced by the webhook and the local git server",
      );
}

function codeCommitSignature(sample: unknown): Outcome {
  const vector = sigV4Vector.parse(sample);
  const { inputs } = vector;
  const url = new URL(vector.url);
  const t = inputs.timestamp;
  const signed = signCodeCommitGitRequest({
    accessKeyId: inputs.accessKeyId,
    secretAccessKey: inputs.secretAccessKey,
    sessionToken: inputs.sessionToken,
    region: inputs.region,
    host: url.host,
    path: url.pathname,
    time: new Date(
      `${t.slice(0, 4)}-${t.slice(4, 6)}-${t.slice(6, 8)}T${t.slice(9, 11)}:${t.slice(11, 13)}:${t.slice(13, 15)}Z`,
    ),
  });
  const problems = differences(
    {
      canonicalRequest: vector.canonicalRequest,
      stringToSign: vector.stringToSign,
      signature: vector.signature,
      username: vector.gitHttpUsername,
      password: vector.gitHttpPassword,
    },
    { ...signed },
  );
  return problems.length > 0
    ? mismatch(SIGV4, problems.join("; "))
    : ok(SIGV4, "the CodeCommit git credentials reproduce the reference SigV4 vector byte for byte");
}

async function eventBridgePutEvents(sample: unknown): Promise<Outcome> {
  const parsed = putEvents.parse(sample);
  const [entry] = parsed.request.Entries;
  if (entry === undefined) return mismatch(PUT_EVENTS, "the sample has no request entry");
  const bytes = (text: string) => Buffer.byteLength(text, "utf8");
  const documentedSize =
    14 +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    entry.Resources.reduce((sum, resource) => sum + bytes(resource), 0);
  const response = parsed.responsePartialFailure;
  const failedIndex = response.Entries.findIndex((item) => item.ErrorCode !== undefined);
  const eventBridge = mockClient(EventBridgeClient);
  try {
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce(response)
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: "resent" }] });
    const publisher = new EventBridgePublisher({
      client: new EventBridgeClient({ region: "eu-west-1" }),
      busName: "shipline",
      sleep: async () => undefined,
    });
    const results = await publisher.publish(
      response.Entries.map((_, index) => ({
        detailType: DetailType.HoldReleased,
        detail: {
          app: "web",
          commit: "0123456789abcdef0123456789abcdef01234567",
          correlationId: `conformance-${index}`,
          environment: "production",
          releasedBy: "conformance",
        },
      })),
    );
    const resent = eventBridge.commandCalls(PutEventsCommand)[1]?.args[0].input.Entries ?? [];
    const problems = differences(
      {
        entrySize: documentedSize,
        resent: [`conformance-${failedIndex}`],
        eventIds: response.Entries.map((item, index) => (index === failedIndex ? "resent" : item.EventId)),
      },
      {
        entrySize: entrySize(entry),
        resent: resent.map(
          (item) =>
            z.object({ correlationId: z.string() }).parse(JSON.parse(item.Detail ?? "{}")).correlationId,
        ),
        eventIds: results.map((result) => result.eventId),
      },
    );
    return problems.length > 0
      ? mismatch(PUT_EVENTS, problems.join("; "))
      : ok(
          PUT_EVENTS,
          `entry size counted as documented (${documentedSize} bytes); only the failed entry of the partial failure is resent`,
        );
  } finally {
    eventBridge.restore();
  }
}
