import { createHmac } from "node:crypto";
import * as z from "zod";
import {
  type ClassifyWebhookOptions,
  classifyWebhook,
} from "../../../../functions/core/webhook/classify-webhook.js";
import type { WebhookHeaders } from "../../../../functions/core/webhook/header-of.js";
import { signStandardWebhook } from "../../../../functions/core/webhook/standard-webhook-signature.js";
import type { WebhookClassification } from "../../../../functions/core/webhook/webhook-classification.js";
import { readFixtureBytes } from "../../../read-fixture.js";

/** The webhook secret every test request is signed with. */
export const SECRET = "shipline-test-webhook-secret-7f3a";

/** A GitLab signing token (whsec_ and a base64 key of 32 bytes). */
export const SIGNING_SECRET = `whsec_${Buffer.from("0123456789abcdef0123456789abcdef").toString("base64")}`;

/** The time every test runs at. */
export const NOW = new Date("2026-03-01T12:00:00Z");

/** The body size limit the tests use. */
export const MAX_BODY_BYTES = 1_000_000;

/** The bytes of a webhook delivery under `test/fixtures/webhooks`, e.g. `webhookFixture("github-ping.json")`. */
export function webhookFixture(name: string): Buffer {
  return readFixtureBytes(`webhooks/${name}`);
}

/** Parses a sample, lets the test change it, and serialises it again. */
export function edited(body: Buffer, change: (payload: Record<string, unknown>) => void): Buffer {
  const payload: Record<string, unknown> = JSON.parse(body.toString("utf8"));
  change(payload);
  return Buffer.from(JSON.stringify(payload));
}

const jsonObjects = z.array(z.record(z.string(), z.unknown()));
const jsonObject = z.record(z.string(), z.unknown());

/** Reads a list of JSON objects out of a sample being edited (copies: assign the edited list back). */
export function objectsOf(value: unknown): Record<string, unknown>[] {
  return jsonObjects.parse(value);
}

/** Reads a JSON object out of a sample being edited (a copy: assign the edited object back). */
export function objectOf(value: unknown): Record<string, unknown> {
  return jsonObject.parse(value);
}

/** The hex HMAC-SHA256 a host sends, computed independently of the code under test. */
export function hexHmac(body: Buffer, secret = SECRET): string {
  return createHmac("sha256", secret).update(body).digest("hex");
}

/** Headers of a GitHub delivery. */
export function githubHeaders(body: Buffer, event = "push", secret = SECRET): Record<string, string> {
  return {
    "Content-Type": "application/json",
    "X-GitHub-Event": event,
    "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    "X-GitHub-Hook-ID": "292430182",
    "X-Hub-Signature-256": `sha256=${hexHmac(body, secret)}`,
    "User-Agent": "GitHub-Hookshot/044aadd",
  };
}

/** Headers of a GitLab delivery with the legacy secret token. */
export function gitlabTokenHeaders(event = "Push Hook", token = SECRET): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-gitlab-event": event,
    "x-gitlab-token": token,
    "x-gitlab-instance": "https://gitlab.example.com",
    "x-gitlab-webhook-uuid": "9f6b0c3e-2d4a-4f1b-8c7e-5a6d3b2c1e0f",
    "x-gitlab-event-uuid": "c1a2b3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d",
    "idempotency-key": "0b8f7a6e-5d4c-4b3a-9e8f-7d6c5b4a3e2f",
  };
}

/** Headers of a GitLab delivery signed with a signing token (Standard Webhooks). */
export function gitlabSigningHeaders(
  body: Buffer,
  options: { readonly event?: string; readonly secret?: string; readonly timestamp?: number } = {},
): Record<string, string> {
  const id = "0b8f7a6e-5d4c-4b3a-9e8f-7d6c5b4a3e2f";
  const timestamp = options.timestamp ?? Math.floor(NOW.getTime() / 1000);
  const secret = options.secret ?? SIGNING_SECRET;
  return {
    "content-type": "application/json",
    "x-gitlab-event": options.event ?? "Push Hook",
    "idempotency-key": id,
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": signStandardWebhook({ id, timestamp, rawBody: body, secret }),
  };
}

/** Headers of a Bitbucket Cloud delivery. */
export function bitbucketHeaders(body: Buffer, event = "repo:push", secret = SECRET): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-event-key": event,
    "x-hook-uuid": "{0e4f5a6b-7c8d-4e9f-a0b1-c2d3e4f5a6b7}",
    "x-request-uuid": "d2c1b0a9-8f7e-4d6c-5b4a-3928170615ab",
    "x-attempt-number": "1",
    "x-hub-signature": `sha256=${hexHmac(body, secret)}`,
    "user-agent": "Bitbucket-Webhooks/2.0",
  };
}

/** Headers of a Bitbucket Server / Data Center delivery. */
export function bitbucketServerHeaders(
  body: Buffer,
  event = "repo:refs_changed",
  secret = SECRET,
): Record<string, string> {
  return {
    "content-type": "application/json; charset=utf-8",
    "x-event-key": event,
    "x-request-id": "5b0e7c1a-94d2-4f3e-8a61-2c7d9e0f1b34",
    "x-hub-signature": `sha256=${hexHmac(body, secret)}`,
    "user-agent": "Atlassian HttpClient 4.2.0 / Bitbucket-9.4.2 (9004002) / Default",
  };
}

/** Headers of a Gitea (or Forgejo) delivery, with the GitHub and Gogs compatibility headers they also send. */
export function giteaHeaders(
  body: Buffer,
  options: { readonly event?: string; readonly host?: "gitea" | "forgejo"; readonly secret?: string } = {},
): Record<string, string> {
  const event = options.event ?? "push";
  const signature = hexHmac(body, options.secret ?? SECRET);
  const delivery = "f6266f16-1bf3-46a5-9ea4-602e06ead473";
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-github-event": event,
    "x-github-delivery": delivery,
    "x-gogs-event": event,
    "x-gogs-delivery": delivery,
    "x-gitea-event": event,
    "x-gitea-delivery": delivery,
    "x-gitea-signature": signature,
    "x-hub-signature-256": `sha256=${signature}`,
  };
  if (options.host === "forgejo") {
    headers["x-forgejo-event"] = event;
    headers["x-forgejo-delivery"] = delivery;
    headers["x-forgejo-signature"] = signature;
  }
  return headers;
}

/** Classifies a request with the test secret, clock and limit unless the test says otherwise. */
export function classify(
  headers: WebhookHeaders,
  rawBody: Buffer,
  overrides: Partial<ClassifyWebhookOptions> = {},
): WebhookClassification {
  return classifyWebhook({
    headers,
    rawBody,
    secret: SECRET,
    now: NOW,
    maxBodyBytes: MAX_BODY_BYTES,
    ...overrides,
  });
}
