import * as z from "zod";
import { clusterEks } from "./cluster-eks.js";
import { dnsName, flag } from "./fields.js";
import { say } from "./say.js";

const argocdUrl = z
  .string({ error: say("is not text", "give the Argo CD API URL, e.g. https://argocd-server.argocd.svc") })
  .superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: say(`'${value}' is not a URL`, "write https://argocd.example.com"),
      });
      return;
    }
    // In-cluster traffic to argocd-server often runs plain http (server.insecure), so http is allowed here.
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      ctx.addIssue({
        code: "custom",
        message: say(`'${url.protocol}' is not http(s)`, "write an https:// URL"),
      });
    } else if (url.username !== "" || url.password !== "") {
      ctx.addIssue({
        code: "custom",
        message: say("the URL contains credentials", "remove them from the URL"),
      });
    }
  });

/**
 * A Kubernetes cluster with Argo CD, reached by the Shipline agent running inside it (which polls
 * its own queue: the cluster needs no inbound endpoint).
 *
 * @example
 * ```ts
 * cluster.parse({ name: "prod-eu", argocd: { url: "https://argocd-server.argocd.svc" }, eks: { clusterName: "prod-eu" } });
 * ```
 */
export const cluster = z.strictObject({
  /** The cluster's name: environments refer to it, and it names the cluster's queue. */
  name: dnsName("the cluster's name, e.g. prod-eu"),
  /** How the agent reaches Argo CD's API. */
  argocd: z
    .strictObject({
      /**
       * The Argo CD API URL as the agent sees it. Absent: the agent's own setting (by default the
       * in-cluster `argocd-server` service); locally, the runtime's Argo CD stand-in.
       */
      url: argocdUrl.optional(),
      /** Skip TLS verification (self-signed in-cluster certificates). */
      insecure: flag(false),
    })
    .prefault({}),
  /**
   * How the agent's IAM role is tied to its ServiceAccount on EKS (Pod Identity association, IRSA
   * trust). Absent: the role trusts EKS Pod Identity and nothing is associated.
   */
  eks: clusterEks.optional(),
});

/** A cluster (output of {@link cluster}). */
export type ClusterConfig = z.output<typeof cluster>;
