import * as z from "zod";
import { durationSeconds } from "./duration.js";
import { text, variantError } from "./fields.js";
import { serviceUrl } from "./repo-ref.js";
import { say } from "./say.js";

/** The ways Shipline obtains short-lived git credentials for the config repo (DESIGN §3). */
export const CREDENTIAL_PROVIDERS = ["oidc-exchange", "github-app", "codecommit", "token"] as const;

/** One of {@link CREDENTIAL_PROVIDERS}. */
export type CredentialProviderName = (typeof CREDENTIAL_PROVIDERS)[number];

const secretRef = (example: string) => text(`the Secrets Manager secret name or ARN, e.g. ${example}`);

/**
 * `oidc-exchange`: the function asks AWS STS for an OIDC token (`GetWebIdentityToken`) and exchanges
 * it (RFC 8693) at a broker that trusts it, for a token scoped to the config repo.
 */
const oidcExchange = z
  .strictObject({
    provider: z.literal("oidc-exchange"),
    /** The token-exchange endpoint: an https URL, or `local:<name>` for the local runtime's exchange. */
    exchangeUrl: serviceUrl,
    /** The `aud` claim the broker expects in the STS token. */
    audience: text("the audience the token broker expects, e.g. https://sts.example.com"),
    /** Optional `scope` sent in the exchange (e.g. the repository or a policy name). */
    scope: text("the scope to request").optional(),
    /** How long the STS token lives (60s..1h); the exchanged token's lifetime is the broker's. */
    tokenLifetime: durationSeconds({ min: 60, max: 3_600 }).default(300),
  })
  .transform(({ tokenLifetime, ...rest }) => ({
    ...rest,
    /** `tokenLifetime` in seconds. */
    tokenLifetimeSeconds: tokenLifetime,
  }));

/** `github-app`: an installation token minted per write, scoped to the config repo. */
const githubApp = z.strictObject({
  provider: z.literal("github-app"),
  /** The App's id (or client id). */
  appId: z
    .union([z.number().int().positive(), z.string().min(1)], {
      error: say("is missing or not an id", "add the GitHub App id, e.g. appId: 123456"),
    })
    .transform(String),
  /** The installation of the App on the config repo's owner. */
  installationId: z
    .union([z.number().int().positive(), z.string().regex(/^\d+$/)], {
      error: say("is missing or not a number", "add the installation id, e.g. installationId: 7654321"),
    })
    .transform(String),
  /** The Secrets Manager secret holding the App's PEM private key. */
  privateKeySecret: secretRef("shipline/github-app-key"),
  /** The GitHub API base, for GitHub Enterprise Server. */
  apiUrl: serviceUrl.default("https://api.github.com"),
});

/** `codecommit`: SigV4-derived git credentials from the function's own role. */
const codecommit = z.strictObject({
  provider: z.literal("codecommit"),
  /** The repository's region; defaults to the region Shipline runs in. */
  region: z
    .string()
    .regex(/^[a-z]{2}(?:-[a-z]+)+-\d+$/, {
      error: say("is not an AWS region", "write a region such as eu-west-1"),
    })
    .optional(),
});

/**
 * `token`: a token kept in Secrets Manager. It is long-lived, so prefer the other providers; it exists
 * for hosts with no federation (e.g. GitLab project access tokens).
 */
const token = z.strictObject({
  provider: z.literal("token"),
  /** The Secrets Manager secret holding the token. */
  secretName: secretRef("shipline/config-repo-token"),
  /** The user name sent with the token over HTTPS basic auth. */
  username: text("the user name, e.g. oauth2").default("x-access-token"),
});

/**
 * How Shipline authenticates to the config repo, chosen by `provider`. Tokens reach git only
 * through `onAuth`, never in a URL, a log line or an error.
 *
 * @example
 * ```ts
 * credentials.parse({ provider: "codecommit", region: "eu-west-1" });
 * ```
 */
export const credentials = z.discriminatedUnion("provider", [oidcExchange, githubApp, codecommit, token], {
  error: variantError(
    "provider",
    CREDENTIAL_PROVIDERS,
    "credentials: { provider: oidc-exchange, exchangeUrl: ..., audience: ... }",
  ),
});

/** Config repo credentials (output of {@link credentials}). */
export type GitCredentialsConfig = z.output<typeof credentials>;
