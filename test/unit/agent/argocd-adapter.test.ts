import { describe, expect, it } from "vitest";
import { ArgoCdClient } from "../../../functions/adapters/argocd/argocd-client.js";
import { KubernetesArgoCdClient } from "../../../functions/adapters/argocd/kubernetes-argocd-client.js";
import { createArgoCdAdapter } from "../../../functions/agent/argocd-adapter.js";

/** A readFile over a map of contents, recording what was read. */
function files(contents: Record<string, string>) {
  const read: string[] = [];
  return {
    read,
    readFile: async (path: string) => {
      read.push(path);
      const content = contents[path];
      if (content === undefined) throw new Error(`ENOENT: no such file, open '${path}'`);
      return Buffer.from(content);
    },
  };
}

const KUBERNETES = {
  mode: "kubernetes",
  apiServer: "https://10.100.0.1:443",
  namespace: "argocd",
  tokenFile: "/sa/token",
  caFile: "/sa/ca.crt",
} as const;

describe("createArgoCdAdapter", () => {
  it("uses the Kubernetes API in kubernetes mode, reading the cluster's CA once at start", async () => {
    // Arrange
    const fs = files({ "/sa/token": "projected", "/sa/ca.crt": "-----BEGIN CERTIFICATE-----" });

    // Act
    const argocd = await createArgoCdAdapter({ connection: KUBERNETES, readFile: fs.readFile });

    // Assert
    expect(argocd).toBeInstanceOf(KubernetesArgoCdClient);
    expect(fs.read).toEqual(["/sa/ca.crt"]);
  });

  it("uses Argo CD's API in api-token mode", async () => {
    // Arrange
    const fs = files({});

    // Act
    const argocd = await createArgoCdAdapter({
      connection: {
        mode: "api-token",
        url: "http://argocd-server.argocd.svc",
        tokenFile: "/t",
        insecure: false,
      },
      readFile: fs.readFile,
    });

    // Assert
    expect(argocd).toBeInstanceOf(ArgoCdClient);
    expect(fs.read).toEqual([]);
  });

  it("refuses to start without the cluster's CA, naming automountServiceAccountToken", async () => {
    // Arrange
    const fs = files({});

    // Act
    const created = createArgoCdAdapter({ connection: KUBERNETES, readFile: fs.readFile });

    // Assert
    await expect(created).rejects.toMatchObject({ code: "CONFIG_INVALID" });
    await expect(created).rejects.toThrow(/\/sa\/ca\.crt.*automountServiceAccountToken/);
  });
});
