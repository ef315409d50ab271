import { randomUUID } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import * as z from "zod";
import { imageDigest } from "../../../core/contracts/primitives.js";
import { SAFE_DELIVERY_ID } from "../../../core/webhook/delivery-id-of.js";
import {
  IMAGE_PUBLISHED_EVENT,
  ImagePublishedHeader,
  imagePublishedBody,
  signImagePublished,
} from "../../../core/webhook/image-published-call.js";
import { DEFAULT_DATA_DIR } from "../../bus/bus-layout.js";
import { readEndpoints } from "../../runtime/endpoints-file.js";
import { type Command, UsageError } from "../command.js";
import { parseCommandArgs } from "../parse-command-args.js";

/** The environment variables `shipline publish` reads on a CI runner. */
export const PublishVariable = {
  Url: "SHIPLINE_WEBHOOK_URL",
  Secret: "SHIPLINE_PUBLISH_SECRET",
} as const;

const answer = z.looseObject({ message: z.string().optional() });

/**
 * `shipline publish <image-ref>`: announces an image the CI pushed to a registry of kind oci, with
 * the signed "image published" call to the webhook URL. The webhook resolves the tag in the
 * registry, checks the digest and publishes it; its answer is printed. The URL and secret come from
 * `--url` / `SHIPLINE_WEBHOOK_URL` and `SHIPLINE_PUBLISH_SECRET` (a CI: the stack's `PublishSecretArn`
 * secret, never the git hosts' webhook secret), else from the running local runtime's data directory.
 *
 * @example
 * ```sh
 * shipline publish ghcr.io/acme/api:1.4.2-0123abc --digest sha256:…
 * ```
 */
export const publishCommand: Command = {
  name: "publish",
  summary: "Announce an image a CI pushed (signed 'image published' call to the webhook URL)",
  usage: "shipline publish <image-ref> [--digest sha256:…] [--delivery ID] [--url URL] [--data-dir DIR]",
  options: [
    { flag: "--digest DIGEST", text: "the digest the CI pushed; the tag must point at it" },
    { flag: "--delivery ID", text: "the delivery id (default: a new one); send the same id again on retry" },
    {
      flag: "--url URL",
      text: `the webhook URL (default: $${PublishVariable.Url}, else the local runtime's)`,
    },
    { flag: "--data-dir DIR", text: "the local runtime's data directory (default .shipline)" },
  ],
  details: `The secret is $${PublishVariable.Secret} (the stack's PublishSecretArn secret), else the local runtime's. Exit codes: 0 announced, 1 the webhook or the registry could not be reached (send it again), 2 refused (bad usage, signature, unknown registry or repository, missing tag, other digest).`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      args,
      {
        digest: { type: "string" },
        delivery: { type: "string" },
        url: { type: "string" },
        "data-dir": { type: "string" },
      },
      { positionals: true },
    );
    const [image, ...extra] = positionals;
    if (image === undefined || extra.length > 0) {
      throw new UsageError("give one image reference, e.g. shipline publish ghcr.io/acme/api:1.4.2");
    }
    if (values.digest !== undefined && !imageDigest.safeParse(values.digest).success) {
      throw new UsageError(`--digest '${values.digest}' is not sha256:<64 hex characters>`);
    }
    if (values.delivery !== undefined && !SAFE_DELIVERY_ID.test(values.delivery)) {
      throw new UsageError(
        `--delivery '${values.delivery}' is not an id of 1 to 128 characters [A-Za-z0-9._:-]`,
      );
    }
    const body = { image, ...(values.digest === undefined ? {} : { digest: values.digest }) };
    const checked = imagePublishedBody.safeParse(body);
    if (!checked.success) {
      throw new UsageError(
        `'${image}' is not an image reference with its registry host, e.g. ghcr.io/acme/api:1.4.2`,
      );
    }
    const dataDir = resolve(io.cwd, values["data-dir"] ?? DEFAULT_DATA_DIR);
    const remote = values.url ?? io.env[PublishVariable.Url];
    const url = remote ?? (await localWebhook(dataDir));
    const given = io.env[PublishVariable.Secret];
    if (remote !== undefined && given === undefined) {
      // The local runtime's secret would only earn a 401 from another webhook.
      throw new UsageError(
        `set ${PublishVariable.Secret} to the publish secret of the stack at ${remote} (its PublishSecretArn output)`,
      );
    }
    const secret = given ?? (await localSecret(dataDir));
    const rawBody = Buffer.from(JSON.stringify(checked.data));
    const timestamp = Math.floor(Date.now() / 1000);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          [ImagePublishedHeader.Event]: IMAGE_PUBLISHED_EVENT,
          [ImagePublishedHeader.Delivery]: values.delivery ?? randomUUID(),
          [ImagePublishedHeader.Timestamp]: String(timestamp),
          [ImagePublishedHeader.Signature]: signImagePublished({ secret, timestamp, rawBody }),
        },
        body: rawBody,
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      io.stderr.write(
        `Cannot reach the webhook at ${url}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 1;
    }
    const parsed = answer.safeParse(await response.json().catch(() => ({})));
    const said = parsed.success ? (parsed.data.message ?? "") : "";
    if (response.status === 202) {
      io.stdout.write(`${said}\n`);
      return 0;
    }
    io.stderr.write(`The webhook answered ${response.status}: ${said || response.statusText}\n`);
    return response.status >= 500 ? 1 : 2;
  },
};

async function localWebhook(dataDir: string): Promise<string> {
  try {
    return (await readEndpoints(dataDir)).webhook;
  } catch {
    throw new UsageError(
      `no webhook URL: pass --url or set ${PublishVariable.Url}, or start the local runtime (npm start) in ${dataDir}`,
    );
  }
}

async function localSecret(dataDir: string): Promise<string> {
  try {
    return (await readFile(join(dataDir, "publish-secret"), "utf8")).trim();
  } catch {
    throw new UsageError(
      `no publish secret: set ${PublishVariable.Secret} (the stack's PublishSecretArn secret), or start the local runtime (npm start) in ${dataDir} with a registry of kind oci in its configuration`,
    );
  }
}
