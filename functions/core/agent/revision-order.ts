import { ShiplineError } from "../errors/shipline-error.js";
import type { ArgoCdApi } from "./argocd-api.js";

/**
 * Orders config commits by their commit time, which Argo CD gives for any revision of an
 * application's source (its revision metadata). The config writer is the only one committing to
 * the branch and commits in order, so an earlier commit time means an older commit. Times are
 * remembered (a commit's time never changes).
 *
 * @example
 * ```ts
 * const order = new RevisionOrder(argocd);
 * if (await order.isOlder("demo-staging", requested, verified)) return "stale";
 * ```
 */
export class RevisionOrder {
  readonly #argocd: ArgoCdApi;
  readonly #times = new Map<string, number | undefined>();

  constructor(argocd: ArgoCdApi) {
    this.#argocd = argocd;
  }

  /**
   * True when `revision` was committed strictly before `than`. Unknown when either time cannot be
   * read (a revision Argo CD does not know): false, so the request is handled rather than dropped.
   * A transient Argo CD error is thrown.
   */
  async isOlder(application: string, revision: string, than: string): Promise<boolean> {
    if (revision === than) return false;
    const [mine, theirs] = [await this.#timeOf(application, revision), await this.#timeOf(application, than)];
    return mine !== undefined && theirs !== undefined && mine < theirs;
  }

  /**
   * True when `revision` is `than`, or was committed before it or in the same second. Git keeps
   * commit times to the second, so commits written in one second cannot be told apart by time;
   * the agent asks this about a branch head it read after the request was published, which
   * contains the requested commit. False when either time cannot be read. A transient Argo CD
   * error is thrown.
   *
   * @example
   * ```ts
   * if (await order.isAtOrBefore("demo-staging", requested, application.status?.sync?.revision ?? "")) judgeThere();
   * ```
   */
  async isAtOrBefore(application: string, revision: string, than: string): Promise<boolean> {
    if (revision === than) return true;
    const [mine, theirs] = [await this.#timeOf(application, revision), await this.#timeOf(application, than)];
    return mine !== undefined && theirs !== undefined && mine <= theirs;
  }

  async #timeOf(application: string, revision: string): Promise<number | undefined> {
    if (this.#times.has(revision)) return this.#times.get(revision);
    let time: number | undefined;
    try {
      const { date } = await this.#argocd.revisionMetadata(application, revision);
      const parsed = date === undefined ? Number.NaN : Date.parse(date);
      time = Number.isNaN(parsed) ? undefined : parsed;
    } catch (error) {
      if (error instanceof ShiplineError && error.retryable) throw error;
      time = undefined;
    }
    if (this.#times.size > 1024) this.#times.clear();
    this.#times.set(revision, time);
    return time;
  }
}
