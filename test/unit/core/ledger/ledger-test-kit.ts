import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import type { DetailTypeName } from "../../../../functions/core/contracts/detail-type.js";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { DETAIL_EXAMPLES } from "../contracts/detail-examples.js";

let sequence = 0;

/**
 * A delivered Shipline event built from the contract example of its detail type, with fields of
 * the detail replaced, at a given time (`+<seconds>` after 2026-03-01T12:00:00Z).
 */
export function shiplineAt<T extends DetailTypeName>(
  detailType: T,
  seconds: number,
  changes: Record<string, unknown> = {},
  id = `event-${++sequence}`,
): EventEnvelope {
  return {
    version: "0",
    id,
    "detail-type": detailType,
    source: "shipline",
    account: "123456789012",
    time: new Date(Date.parse("2026-03-01T12:00:00Z") + seconds * 1000).toISOString().replace(".000Z", "Z"),
    region: "eu-west-1",
    resources: [],
    detail: { ...DETAIL_EXAMPLES[detailType], ...changes },
  };
}

/** A file-backed store in a temporary directory of its own. */
export async function temporaryStore(): Promise<{
  readonly store: FileDocumentStore;
  readonly directory: string;
  readonly cleanUp: () => Promise<void>;
}> {
  const directory = await mkdtemp(path.join(tmpdir(), "shipline-ledger-"));
  return {
    store: new FileDocumentStore({ directory }),
    directory,
    cleanUp: () => rm(directory, { recursive: true, force: true }),
  };
}
