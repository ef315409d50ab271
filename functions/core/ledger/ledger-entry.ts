import type { LedgerHop } from "./ledger-hop.js";

/**
 * Where a hop belongs:
 * - `journey`: an app and a source commit;
 * - `push`: a commit whose apps are not known yet (joined to every journey of that commit);
 * - `image`: an image of a repository, tied to its journey through the ledger's image index;
 * - `unattributed`: neither app nor commit (kept so that nothing the chain said is lost).
 */
export type LedgerSubject =
  | { readonly kind: "journey"; readonly app: string; readonly commit: string }
  | { readonly kind: "push"; readonly commit: string }
  | {
      readonly kind: "image";
      /** The repository's name as ECR names it (no registry host, no ARN). */
      readonly repository: string;
      readonly digest: string;
      readonly tags: readonly string[];
    }
  | { readonly kind: "unattributed" };

/** What the ledger makes of one event. */
export type LedgerEntry =
  | { readonly kind: "entry"; readonly subject: LedgerSubject; readonly hop: LedgerHop }
  /** An event the ledger does not keep (an unknown detail type, a build Shipline did not start). */
  | { readonly kind: "ignored"; readonly reason: string };

/**
 * The repository name of an image repository URI or ARN, as ECR events name it:
 * `123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web` and
 * `arn:aws:ecr:eu-west-1:123456789012:repository/team/web` both give `team/web`; a bare name is
 * kept.
 *
 * @example
 * ```ts
 * repositoryNameOf("localhost:5000/demo"); // "demo"
 * ```
 */
export function repositoryNameOf(reference: string): string {
  const arn = /^arn:[^:]+:ecr:[^:]*:[^:]*:repository\/(.+)$/.exec(reference);
  if (arn?.[1] !== undefined) return arn[1];
  const slash = reference.indexOf("/");
  if (slash === -1) return reference;
  const first = reference.slice(0, slash);
  // A registry host has a dot or a port, or is localhost (the distribution reference grammar).
  return first.includes(".") || first.includes(":") || first === "localhost"
    ? reference.slice(slash + 1)
    : reference;
}
