import { describe, expect, it } from "vitest";
import { readAgentEnvironment } from "../../../functions/agent/agent-environment.js";

const REQUIRED = {
  SHIPLINE_QUEUE_URL: "https://sqs.eu-west-1.amazonaws.com/123456789012/prod-eu",
  EVENT_BUS_NAME: "shipline",
};

describe("readAgentEnvironment", () => {
  it("reaches Argo CD through the Kubernetes API with the pod's ServiceAccount by default", () => {
    // Act
    const environment = readAgentEnvironment({
      ...REQUIRED,
      KUBERNETES_SERVICE_HOST: "10.100.0.1",
      KUBERNETES_SERVICE_PORT: "443",
    });

    // Assert
    expect(environment).toMatchObject({
      queueUrl: "https://sqs.eu-west-1.amazonaws.com/123456789012/prod-eu",
      eventBusName: "shipline",
      port: 8080,
      concurrency: 4,
    });
    expect(environment.argocd).toEqual({
      mode: "kubernetes",
      apiServer: "https://10.100.0.1:443",
      namespace: "argocd",
      tokenFile: "/var/run/secrets/kubernetes.io/serviceaccount/token",
      caFile: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
    });
  });

  it("puts an IPv6 API server address in brackets and takes Argo CD's namespace", () => {
    // Act
    const environment = readAgentEnvironment({
      ...REQUIRED,
      KUBERNETES_SERVICE_HOST: "fd00:10:96::1",
      KUBERNETES_SERVICE_PORT: "6443",
      ARGOCD_NAMESPACE: "gitops",
    });

    // Assert
    expect(environment.argocd).toMatchObject({
      mode: "kubernetes",
      apiServer: "https://[fd00:10:96::1]:6443",
      namespace: "gitops",
    });
  });

  it("reads Argo CD's API settings in api-token mode, with defaults", () => {
    // Act
    const environment = readAgentEnvironment({
      ...REQUIRED,
      ARGOCD_MODE: "api-token",
      ARGOCD_INSECURE: "true",
    });

    // Assert
    expect(environment.argocd).toEqual({
      mode: "api-token",
      url: "http://argocd-server.argocd.svc",
      tokenFile: "/var/run/secrets/argocd/token",
      insecure: true,
    });
  });

  it("asks for the API server's address in kubernetes mode, naming the way out", () => {
    // Act
    const run = () => readAgentEnvironment(REQUIRED);

    // Assert
    expect(run).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
    expect(run).toThrow(/KUBERNETES_SERVICE_HOST.*ARGOCD_MODE=api-token/s);
  });

  it("refuses an unknown mode and a namespace that is not a Kubernetes name", () => {
    // Act
    const run = () =>
      readAgentEnvironment({ ...REQUIRED, ARGOCD_MODE: "kubeconfig", ARGOCD_NAMESPACE: "Argo_CD" });

    // Assert
    expect(run).toThrow(/ARGOCD_MODE.*ARGOCD_NAMESPACE/s);
  });

  it("names every missing or bad variable in one error", () => {
    // Act
    const run = () => readAgentEnvironment({ AGENT_CONCURRENCY: "many" });

    // Assert
    expect(run).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
    expect(run).toThrow(/SHIPLINE_QUEUE_URL.*EVENT_BUS_NAME.*AGENT_CONCURRENCY/s);
  });
});
