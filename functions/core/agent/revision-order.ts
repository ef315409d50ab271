import { ShiplineError } from "../errors/shipline-error.js";
import type { ArgoCdApi } from "./argocd-api.js";

/**
 * Orders config commits by their commit time, which Argo CD gives for any revision of an
 * application's source (its revision metadata). The config writer is the only one committing to
 * the branch and commits in order, so an earlier commit time means an older commit. Times are
 * remembered (a commit's time never changes). Where Argo CD's metadata cannot be read (the
 * Kubernetes-API mode has no repo server to ask), the time a request announced for its revision
 * (`Sync Requested`'s `committedAt`, see {@link RevisionOrder.announce}) orders it instead.
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
  readonly #announced = new Map<string, number>();

  constructor(argocd: ArgoCdApi) {
    this.#argocd = argocd;
  }

  /**
   * Remembers when a revision was announced, for when Argo CD cannot tell its commit time. A
   * missing or unreadable time is ignored.
   *
   * @example
   * ```ts
   * order.announce(request.revision, request.committedAt);
   * ```
   */
  announce(revision: string, at: string | undefined): void {
    const time = at === undefined ? Number.NaN : Date.parse(at);
    if (Number.isNaN(time)) return;
    if (this.#announced.size > 1024) this.#announced.clear();
    this.#announced.set(revision, time);
  }

  /**
   * True when `revision` was committed strictly before `than`. Unknown when either time cannot be
   * read (a revision Argo CD does not know): false, so the request is handled rather than dropped.
   * A transient Argo CD error is thrown.
   */
  async isOlder(application: string, revision: string, than: string): Promise<boolean> {
    if (revision === than) return false;
    const times = await this.#timesOf(application, revision, than);
    return times !== undefined && times[0] < times[1];
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
    const times = await this.#timesOf(application, revision, than);
    return times !== undefined && times[0] <= times[1];
  }

  /**
   * The times of two revisions from one source: Argo CD's commit times, else the announced times
   * (two clocks are never compared), else unknown.
   */
  async #timesOf(application: string, revision: string, than: string): Promise<[number, number] | undefined> {
    const [mine, theirs] = [await this.#timeOf(application, revision), await this.#timeOf(application, than)];
    if (mine !== undefined && theirs !== undefined) return [mine, theirs];
    const [myAnnounced, theirAnnounced] = [this.#announced.get(revision), this.#announced.get(than)];
    if (myAnnounced !== undefined && theirAnnounced !== undefined) return [myAnnounced, theirAnnounced];
    return undefined;
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
