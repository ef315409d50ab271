import { app } from "./app.js";
import type { ConfigView } from "./config-view.js";
import type { DeployTarget } from "./deploy-target.js";
import { isRecord } from "./fields.js";
import type { PathProblem } from "./issue-messages.js";

/**
 * Checks what apps write and where: two targets writing the same place of the same file, two apps
 * pushing to the same image repository (the registry's push event names only the repository), and
 * `approval: pull-request` without `configRepo.pullRequest`.
 *
 * @example
 * ```ts
 * checkTargets(new ConfigView(yamlValue)); // [{ path: ["apps", 1, "deploy", "staging"], ... }]
 * ```
 */
export function checkTargets(view: ConfigView): PathProblem[] {
  const problems: PathProblem[] = [];
  const apps = view.parsed("apps", app);
  const places = new Map<string, string>();
  const repositories = new Map<string, number>();
  for (const { index, value } of apps) {
    for (const [environmentName, target] of Object.entries(value.deploy)) {
      const place = placeOf(target);
      const owner = `apps[${index}].deploy.${environmentName}`;
      const earlier = places.get(place);
      if (earlier === undefined) places.set(place, owner);
      else {
        problems.push({
          path: ["apps", index, "deploy", environmentName],
          message: `writes the same place as ${earlier} (${place})`,
          fix: "point each target at its own file, value path or image name",
        });
      }
    }
    const repository = value.image.repository;
    const first = repositories.get(repository);
    if (first === undefined) repositories.set(repository, index);
    else {
      problems.push({
        path: ["apps", index, "image", "repository"],
        message: `'${repository}' is also the image repository of apps[${first}]`,
        fix: "give each app its own repository: a pushed image is traced back to its app by repository",
      });
    }
  }
  const repo = isRecord(view.raw) && isRecord(view.raw.configRepo) ? view.raw.configRepo : undefined;
  if (repo !== undefined && repo.pullRequest === undefined) {
    for (const { index, value } of view.items("environments")) {
      if (isRecord(value) && value.approval === "pull-request") {
        problems.push({
          path: ["environments", index, "approval"],
          message: "is pull-request but configRepo.pullRequest is not set",
          fix: "add configRepo.pullRequest: { provider: github } (or gitlab)",
        });
      }
    }
  }
  return problems;
}

function placeOf(target: DeployTarget): string {
  switch (target.kind) {
    case "helm":
      return `${target.file} ${target.path}`;
    case "kustomize":
      return `${target.file} images[name=${target.image}]`;
    case "marker":
      return `${target.file} # shipline:image ${target.marker}`;
  }
}
