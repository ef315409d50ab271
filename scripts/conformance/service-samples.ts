import { generateKeyPairSync } from "node:crypto";
import { decodeJwt } from "jose";
import * as z from "zod";
import { GitHubAppCredentials } from "../../functions/adapters/aws/git-credentials/github-app-credentials.js";
import { functionUrlRequest } from "../../functions/core/contracts/aws/function-url-request.js";
import { classifyWebhook } from "../../functions/core/webhook/classify-webhook.js";
import { rawBodyOf } from "../../functions/core/webhook/raw-body-of.js";
import { FunctionUrlServer } from "../../functions/local/function-url/function-url-server.js";
import { LocalOidcServer } from "../../functions/local/oidc/local-oidc-server.js";
import { TOKEN_EXCHANGE } from "../../functions/local/oidc/token-exchange.js";
import { checkArgoCdSamples } from "./argocd-samples.js";
import { checked, differences, mismatch, type Outcome, ok } from "./outcome.js";
import type { SampleStore } from "./sample-store.js";

const STS = "fixtures/aws/aws-sts-getwebidentitytoken.flow.json";
const TOKEN_FLOWS = "fixtures/aws/oidc-token-exchange.flows.json";
const GITHUB_APP = "fixtures/aws/github-app-installation-token.flow.json";
const WRITER = "arn:aws:iam::123456789012:role/shipline-config-writer";

const objectKeys = (value: unknown): string[] =>
  Object.keys(z.record(z.string(), z.unknown()).parse(value)).filter((key) => !key.startsWith("_"));

/**
 * Runs Shipline's code that speaks to AWS and Argo CD over their documented requests and answers:
 * Function URL requests through the webhook's parsing (and the local Function URL server's event),
 * STS web identity tokens and the RFC 8693 exchange through the local OIDC server, GitHub's
 * installation token flow through the GitHub App credentials, Argo CD through the agent.
 */
export async function checkServiceSamples(samples: SampleStore): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const name of samples.named("lambda-function-url.")) {
    outcomes.push(await checked(name, () => functionUrl(name, samples.json(name))));
  }
  outcomes.push(await checked(STS, () => stsToken(samples.json(STS))));
  outcomes.push(await checked(TOKEN_FLOWS, () => tokenExchange(samples.json(TOKEN_FLOWS))));
  outcomes.push(await checked(GITHUB_APP, () => githubApp(samples.json(GITHUB_APP))));
  outcomes.push(...(await checkArgoCdSamples(samples)));
  return outcomes;
}

async function functionUrl(name: string, sample: unknown): Promise<Outcome> {
  const request = functionUrlRequest.parse(sample);
  const body = rawBodyOf(request);
  const expectedBody =
    request.body === undefined
      ? ""
      : Buffer.from(request.body, request.isBase64Encoded ? "base64" : "utf8").toString("hex");
  const verdict = classifyWebhook({
    headers: request.headers,
    rawBody: body,
    secret: "conformance",
    now: new Date(),
    maxBodyBytes: 1_000_000,
  });
  let local: z.infer<typeof functionUrlRequest> | undefined;
  const capture = new FunctionUrlServer({
    handler: async (event) => {
      local = event;
      return { statusCode: 204 };
    },
  });
  const url = await capture.start();
  try {
    await fetch(
      `${url}${request.rawPath.slice(1)}${request.rawQueryString ? `?${request.rawQueryString}` : ""}`,
      {
        method: request.requestContext.http.method,
        headers: {
          "content-type": request.headers["content-type"] ?? "text/plain",
          ...(request.cookies === undefined ? {} : { cookie: request.cookies.join("; ") }),
        },
        ...(request.requestContext.http.method === "GET" ? {} : { body }),
      },
    );
  } finally {
    await capture.stop();
  }
  const named = Object.keys(functionUrlRequest.shape).filter((key) => key in z.looseObject({}).parse(sample));
  const problems = differences(
    { body: expectedBody, verdict: "rejected 401", localFields: named },
    {
      body: body.toString("hex"),
      verdict: verdict.kind === "rejected" ? `rejected ${verdict.status}` : verdict.kind,
      localFields: named.filter((key) => local !== undefined && key in local),
    },
  );
  return problems.length > 0
    ? mismatch(name, problems.join("; "))
    : ok(
        name,
        `${request.requestContext.http.method} request parses, its body is read exactly, a request from no git host is refused 401, and the local Function URL server sends every field the contract reads`,
      );
}

async function stsToken(sample: unknown): Promise<Outcome> {
  const flow = z
    .object({
      request: z.record(z.string(), z.unknown()),
      response: z.unknown(),
      decodedClaimsSampleFromDocs: z.unknown(),
    })
    .parse(sample);
  const oidc = new LocalOidcServer({ trustPolicy: [] });
  const issuer = await oidc.start();
  try {
    const response = await fetch(`${issuer}/local/sts/web-identity-token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...flow.request, Subject: WRITER }),
    });
    const body = z
      .object({ WebIdentityToken: z.string() })
      .loose()
      .parse(await response.json());
    const claims = decodeJwt(body.WebIdentityToken);
    const problems = differences(
      {
        status: 200,
        responseKeys: objectKeys(flow.response).sort(),
        claimKeys: objectKeys(flow.decodedClaimsSampleFromDocs).sort(),
      },
      {
        status: response.status,
        responseKeys: Object.keys(body).sort(),
        claimKeys: Object.keys(claims).sort(),
      },
    );
    return problems.length > 0
      ? mismatch(STS, problems.join("; "))
      : ok(
          STS,
          "the local STS answers GetWebIdentityToken with the documented fields and a token with the documented claims",
        );
  } finally {
    await oidc.stop();
  }
}

async function tokenExchange(sample: unknown): Promise<Outcome> {
  const generic = z
    .object({ rfc8693_generic: z.object({ response200: z.unknown(), error400: z.unknown() }) })
    .parse(sample).rfc8693_generic;
  const oidc = new LocalOidcServer({
    trustPolicy: [{ subject: WRITER, repositories: ["config"], permissions: ["write"] }],
  });
  await oidc.start();
  try {
    const exchange = async (audience: string[]) => {
      const { token } = await oidc.issueWorkloadToken({
        subject: WRITER,
        ...(audience.length > 0 ? { audience } : {}),
      });
      const response = await fetch(oidc.tokenEndpoint, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: TOKEN_EXCHANGE.grantType,
          subject_token: token,
          subject_token_type: TOKEN_EXCHANGE.jwt,
          audience: "config",
        }),
      });
      return { status: response.status, keys: objectKeys(await response.json()) };
    };
    const granted = await exchange([]);
    const refused = await exchange(["https://elsewhere.example"]);
    const problems = differences(
      { granted: 200, grantedKeys: true, refused: 400, refusedKeys: true },
      {
        granted: granted.status,
        grantedKeys: objectKeys(generic.response200).every((key) => granted.keys.includes(key)),
        refused: refused.status,
        refusedKeys: objectKeys(generic.error400).every((key) => refused.keys.includes(key)),
      },
    );
    return problems.length > 0
      ? mismatch(TOKEN_FLOWS, problems.join("; "))
      : ok(
          TOKEN_FLOWS,
          "the local OIDC server's token exchange answers with RFC 8693's fields, and refusals with RFC 6749's",
        );
  } finally {
    await oidc.stop();
  }
}

async function githubApp(sample: unknown): Promise<Outcome> {
  const flow = z
    .object({
      request: z.object({ headers: z.record(z.string(), z.string()), body: z.unknown() }),
      response201: z.object({ token: z.string(), expires_at: z.string() }).loose(),
    })
    .parse(sample);
  const pem = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  const sent: { headers: Headers; body: unknown }[] = [];
  const repositories = z
    .object({ repositories: z.array(z.string()) })
    .loose()
    .parse(flow.request.body).repositories;
  const credentials = new GitHubAppCredentials({
    appId: "123456",
    installationId: "7654321",
    privateKey: { secretId: "conformance", value: async () => pem },
    clock: { now: () => new Date() },
    fetch: async (_url, init) => {
      sent.push({ headers: new Headers(init?.headers), body: JSON.parse(String(init?.body ?? "{}")) });
      return new Response(JSON.stringify(flow.response201), { status: 201 });
    },
  });
  const credential = await credentials.credentials(
    `https://github.com/owner/${repositories[0] ?? "repo"}.git`,
  );
  const [request] = sent;
  const problems = differences(
    {
      accept: flow.request.headers.Accept,
      apiVersion: flow.request.headers["X-GitHub-Api-Version"],
      body: flow.request.body,
      password: flow.response201.token,
      expiresAt: new Date(flow.response201.expires_at).toISOString(),
    },
    {
      accept: request?.headers.get("accept"),
      apiVersion: request?.headers.get("x-github-api-version"),
      body: request?.body,
      password: credential.password,
      expiresAt: credential.expiresAt?.toISOString(),
    },
  );
  return problems.length > 0
    ? mismatch(GITHUB_APP, problems.join("; "))
    : ok(
        GITHUB_APP,
        "the installation token request has the documented headers and body, and its answer becomes the git password",
      );
}
