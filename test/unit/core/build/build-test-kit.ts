import { type AppConfig, app } from "../../../../functions/core/config/app.js";
import {
  type CommitPushed,
  commitPushedDetail,
} from "../../../../functions/core/contracts/events/commit-pushed.js";

/** The commit every test push is at. */
export const SHA = "0123456789abcdef0123456789abcdef01234567";

/** An app of the config, parsed by the real schema; `source` and `image` may be overridden. */
export function appConfig(
  name: string,
  overrides: {
    readonly source?: Record<string, unknown>;
    readonly image?: Record<string, unknown>;
    readonly build?: Record<string, unknown>;
  } = {},
): AppConfig {
  return app.parse({
    name,
    source: { repo: "https://github.com/acme/monorepo.git", ...overrides.source },
    image: { repository: name, ...overrides.image },
    build: overrides.build ?? {},
    deploy: { staging: { kind: "helm", file: `envs/staging/${name}.yaml`, path: "image.tag" } },
  });
}

/** A Commit Pushed detail to acme/monorepo's main, changing `paths` in one commit. */
export function pushOf(
  paths: { readonly added?: string[]; readonly modified?: string[]; readonly removed?: string[] } = {},
  overrides: Partial<CommitPushed> = {},
): CommitPushed {
  return commitPushedDetail.parse({
    app: null,
    commit: SHA,
    correlationId: "github:72d3162e-cc78-11e3-81ab-4c9367dc0958",
    provider: "github",
    repository: { name: "monorepo", fullName: "acme/monorepo", url: "https://github.com/acme/monorepo.git" },
    ref: "refs/heads/main",
    refType: "branch",
    refName: "main",
    before: "737d38c599c1b2991664dfc6155d6bf516fcce36",
    after: SHA,
    commits: [{ id: SHA, message: "change", ...paths }],
    pathsKnown: true,
    pusher: { name: "octocat" },
    deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
    ...overrides,
  });
}
