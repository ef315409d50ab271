import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../../core/ports/clock.js";
import type { BlobStore } from "./blob-store.js";
import type { RepositoryStore } from "./repository-store.js";
import type { UploadSessions } from "./upload-sessions.js";

/** A push the registry announces once a manifest is stored. */
export interface PushNotice {
  readonly repository: string;
  readonly digest: string;
  readonly tag?: string;
}

/** What every route handler works with. */
export interface RegistryContext {
  readonly blobs: BlobStore;
  readonly repositories: RepositoryStore;
  readonly uploads: UploadSessions;
  /** Refuse to move an existing tag to another manifest (ECR's IMMUTABLE tag mutability). */
  readonly immutableTags: boolean;
  readonly clock: Clock;
  /** Announces a stored manifest (the `ECR Image Action` event); never throws. */
  readonly announce: (notice: PushNotice) => Promise<void>;
  /** Runs manifest writes one at a time, so that tag checks and tag writes do not interleave. */
  readonly serialise: <T>(work: () => Promise<T>) => Promise<T>;
}

/** One request being answered, with the parts of its path the route captured. */
export interface Exchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  /** The repository name, already URL-decoded (and validated by the handler). */
  readonly name: string;
  /** The digest, tag or upload id after the route's keyword, URL-decoded. */
  readonly reference: string;
}

/** A route handler. */
export type RouteHandler = (context: RegistryContext, exchange: Exchange) => Promise<void>;
