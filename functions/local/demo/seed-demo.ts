import { parseRepoRef } from "../../core/config/repo-ref.js";
import type { ShiplineConfig } from "../../core/config/shipline-config.js";
import { LOCAL_DEVELOPER_SUBJECT, type LocalPlatform } from "../runtime/local-platform.js";
import { localRepositoryCredentials } from "../writer/local-repository-credentials.js";
import { DEMO_APP_FILES } from "./demo-app-files.js";
import { demoConfigFiles } from "./demo-config-files.js";
import { pushFiles } from "./push-files.js";

/** Options of {@link pushAsDeveloper}. */
export interface PushAsDeveloperOptions {
  readonly platform: LocalPlatform;
  /** The repository's name on the local git server (`demo`, not `local:demo`). */
  readonly repository: string;
  /** Files to write (relative path → content); other files stay as they are. */
  readonly files: Readonly<Record<string, string>>;
  readonly message: string;
  /** @default "main" */
  readonly branch?: string;
  /** Who commits. @default the demo developer */
  readonly author?: { readonly name: string; readonly email: string };
  /** A commit to `git revert` instead of writing `files`. */
  readonly revert?: string;
}

/** One app repository {@link seedAppRepositories} created, and the commit of its first push. */
export interface SeededApp {
  readonly app: string;
  readonly commit: string;
}

/**
 * A developer's `git push` to a repository of the local git server: a write token exchanged for
 * the developer's subject (as `shipline git-credential` gets it), then `git clone`, commit, push.
 * Returns the pushed commit.
 *
 * @example
 * ```ts
 * const commit = await pushAsDeveloper({ platform, repository: "demo", files: { "server.js": code }, message: "Greet" });
 * ```
 */
export async function pushAsDeveloper(options: PushAsDeveloperOptions): Promise<string> {
  const { platform, repository } = options;
  const { password: token } = await localRepositoryCredentials({
    oidc: platform.oidc,
    subject: LOCAL_DEVELOPER_SUBJECT,
    repository,
  })();
  return pushFiles({
    url: platform.git.cloneUrl(repository),
    token,
    files: options.files,
    message: options.message,
    ...(options.branch === undefined ? {} : { branch: options.branch }),
    ...(options.author === undefined ? {} : { author: options.author }),
    ...(options.revert === undefined ? {} : { revert: options.revert }),
  });
}

/**
 * Creates the config repository of the demo on the local git server, when the configuration names
 * a `local:` one that does not exist yet, and pushes its first commit (Helm values for staging, a
 * Kustomize overlay for production, the Argo CD Applications). Answers whether it created it.
 *
 * @example
 * ```ts
 * const created = await seedConfigRepository({ platform, config });
 * ```
 */
export async function seedConfigRepository(options: {
  readonly platform: LocalPlatform;
  readonly config: ShiplineConfig;
}): Promise<boolean> {
  const { platform, config } = options;
  const name = localRepositoryName(config.configRepo.url);
  if (!name || (await platform.git.getRepository(name))) return false;
  await platform.git.createRepository(name, { defaultBranch: config.configRepo.branch });
  const demo = config.apps.find((app) => app.name === "demo");
  await pushAsDeveloper({
    platform,
    repository: name,
    branch: config.configRepo.branch,
    message: "Config repository of the demo",
    files: demoConfigFiles({
      repoUrl: platform.git.cloneUrl(name),
      imageRepository: demo?.image.repository ?? "demo",
      initialTag: "bootstrap",
    }),
  });
  return true;
}

/**
 * Creates each app's `local:` source repository that does not exist yet and pushes its first
 * version (by default the sample service of {@link DEMO_APP_FILES}); each push starts the chain.
 * Answers the apps it created with their first commit, in configuration order.
 *
 * @example
 * ```ts
 * const [first] = await seedAppRepositories({ platform, config });
 * ```
 */
export async function seedAppRepositories(options: {
  readonly platform: LocalPlatform;
  readonly config: ShiplineConfig;
  /** The files of each first commit. @default DEMO_APP_FILES */
  readonly files?: Readonly<Record<string, string>>;
}): Promise<SeededApp[]> {
  const { platform, config } = options;
  const seeded: SeededApp[] = [];
  for (const app of config.apps) {
    const name = localRepositoryName(app.source.repo);
    if (!name || (await platform.git.getRepository(name))) continue;
    const branch = app.source.branch.includes("*") ? "main" : app.source.branch;
    await platform.git.createRepository(name, { defaultBranch: branch });
    const commit = await pushAsDeveloper({
      platform,
      repository: name,
      branch,
      message: `${app.name}: first version`,
      files: options.files ?? DEMO_APP_FILES,
    });
    seeded.push({ app: app.name, commit });
  }
  return seeded;
}

/**
 * The repository name of a `local:<name>` reference, or undefined for any other reference.
 *
 * @example
 * ```ts
 * localRepositoryName("local:demo-config"); // "demo-config"
 * ```
 */
export function localRepositoryName(reference: string): string | undefined {
  const parsed = parseRepoRef(reference);
  return !("problem" in parsed) && parsed.kind === "local" ? parsed.name : undefined;
}
