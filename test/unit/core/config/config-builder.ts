import { stringify } from "yaml";

/** A plain object of a valid config, as YAML would read it; tests mutate a fresh copy. */
export type RawConfig = Record<string, unknown> & {
  configRepo: Record<string, unknown> & { credentials: Record<string, unknown> };
  clusters: Record<string, unknown>[];
  environments: Record<string, unknown>[];
  apps: (Record<string, unknown> & {
    source: Record<string, unknown>;
    image: Record<string, unknown>;
    build: Record<string, unknown>;
    deploy: Record<string, Record<string, unknown>>;
  })[];
  scanPolicy: Record<string, unknown> & { allowList: Record<string, unknown>[] };
};

/**
 * A small valid config: two clusters, staging -> production, two apps (helm and kustomize targets).
 */
export function validConfig(): RawConfig {
  return {
    version: 1,
    configRepo: {
      url: "https://github.com/acme/deploy.git",
      credentials: {
        provider: "github-app",
        appId: 123456,
        installationId: 7654321,
        privateKeySecret: "shipline/app-key",
      },
    },
    clusters: [{ name: "stage-eu" }, { name: "prod-eu", argocd: { url: "https://argocd.prod.example.com" } }],
    environments: [
      { name: "staging", cluster: "stage-eu", autoRollback: true, soakTime: "10m" },
      {
        name: "production",
        cluster: "prod-eu",
        promoteFrom: "staging",
        approval: "manual",
        verifyDeadline: "15m",
      },
    ],
    apps: [
      {
        name: "shop",
        source: { repo: "https://github.com/acme/shop.git", paths: ["src/**", "package.json"] },
        image: { repository: "shop", tag: "{version}-{sha7}" },
        build: { commands: { install: "npm ci", test: ["npm test"] }, version: { from: "package-json" } },
        deploy: {
          staging: { kind: "helm", file: "envs/staging/shop/values.yaml", path: "image.tag" },
          production: { kind: "kustomize", file: "envs/production/shop/kustomization.yaml" },
        },
      },
      {
        name: "billing",
        source: { repo: "https://github.com/acme/billing" },
        image: { repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/billing", tag: "{sha}" },
        build: {},
        deploy: {
          staging: { kind: "marker", file: "envs/staging/billing.yaml" },
          production: {
            kind: "helm",
            file: "envs/production/values.yaml",
            path: "billing.image",
            field: "tag+digest",
          },
        },
      },
    ],
    scanPolicy: {
      severityThreshold: "HIGH",
      allowList: [{ id: "CVE-2024-3094", reason: "xz is not in the runtime image", expires: "2026-06-30" }],
    },
  };
}

/** The YAML text of a config object. */
export function toYaml(config: unknown): string {
  return stringify(config);
}
