/** Options of {@link demoConfigFiles}. */
export interface DemoConfigFilesOptions {
  /** The clone URL of the config repository, as Argo CD reads it. */
  readonly repoUrl: string;
  /** The image repository both environments run. */
  readonly imageRepository: string;
  /** The tag written before the first deployment. */
  readonly initialTag: string;
}

/**
 * The config repository `npm start` creates on first run: Helm values for staging, a Kustomize
 * overlay for production, and the Argo CD Application of each environment.
 *
 * @example
 * ```ts
 * const files = demoConfigFiles({ repoUrl, imageRepository: "demo", initialTag: "bootstrap" });
 * ```
 */
export function demoConfigFiles(options: DemoConfigFilesOptions): Record<string, string> {
  const { repoUrl, imageRepository, initialTag } = options;
  const application = (
    environment: string,
    path: string,
  ) => `# The Argo CD Application that deploys the demo service to ${environment}.
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: demo-${environment}
  namespace: argocd
  labels:
    app.kubernetes.io/part-of: shipline-demo
spec:
  project: default
  source:
    repoURL: ${repoUrl}
    targetRevision: main
    path: ${path}
  destination:
    server: https://kubernetes.default.svc
    namespace: demo-${environment}
  # Shipline's agent asks for the sync itself, on the exact config commit it wrote.
  syncPolicy:
    syncOptions:
      - CreateNamespace=true
`;
  return {
    "README.md": `# demo-config

The config repository of the demo: Argo CD deploys what is here, and Shipline changes it only by
commits (see their trailers). A rollback is a \`git revert\`.

- \`argocd/\`: the Argo CD Applications
- \`envs/staging\`: a Helm chart; Shipline writes \`image.tag\` in \`values.yaml\`
- \`envs/production\`: a Kustomize overlay; Shipline writes \`images[].newTag\`
`,
    "argocd/demo-staging.yaml": application("staging", "envs/staging"),
    "argocd/demo-production.yaml": application("production", "envs/production"),
    "envs/staging/Chart.yaml": `apiVersion: v2
name: demo
description: The demo service
type: application
version: 0.1.0
`,
    "envs/staging/values.yaml": `# Values of the demo service in staging.
replicaCount: 1

image:
  repository: ${imageRepository}
  # Written by Shipline on every deployment; do not edit by hand while automation runs.
  tag: "${initialTag}"
  pullPolicy: IfNotPresent

service:
  port: 8080
`,
    "envs/staging/templates/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
spec:
  replicas: {{ .Values.replicaCount }}
  selector:
    matchLabels: { app: demo }
  template:
    metadata:
      labels: { app: demo }
    spec:
      containers:
        - name: demo
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports: [{ containerPort: {{ .Values.service.port }} }]
          readinessProbe:
            httpGet: { path: /health, port: {{ .Values.service.port }} }
`,
    "envs/production/kustomization.yaml": `# The demo service in production.
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: demo-production
resources:
  - deployment.yaml
images:
  - name: ${imageRepository}
    newTag: "${initialTag}"
`,
    "envs/production/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo
spec:
  replicas: 2
  selector:
    matchLabels: { app: demo }
  template:
    metadata:
      labels: { app: demo }
    spec:
      containers:
        - name: demo
          image: ${imageRepository}
          ports: [{ containerPort: 8080 }]
          readinessProbe:
            httpGet: { path: /health, port: 8080 }
`,
  };
}
