import type { Clock } from "../../../../functions/core/ports/clock.js";
import type {
  DocumentStore,
  PutOptions,
  StoreItem,
  StoreKey,
} from "../../../../functions/core/ports/document-store.js";
import type { ImageRegistry, RegistryImage } from "../../../../functions/core/ports/image-registry.js";

/** An in-memory DocumentStore with expiry, as the real ones behave. */
export class MemoryStore implements DocumentStore {
  readonly items = new Map<string, { key: StoreKey; value: unknown; expiresAt?: Date }>();
  failPutsOn: ((key: StoreKey) => boolean) | undefined;

  constructor(private readonly clock: Clock) {}

  async get<T = unknown>(table: string, key: StoreKey): Promise<T | undefined> {
    const item = this.#live(table, key);
    // The tests store what they read back; the real stores return parsed JSON too.
    return item?.value as T | undefined;
  }

  async put<T>(table: string, key: StoreKey, value: T, options: PutOptions = {}): Promise<boolean> {
    if (this.failPutsOn?.(key)) throw new Error(`store unavailable for ${key.pk}`);
    if (options.ifAbsent && this.#live(table, key)) return false;
    this.items.set(id(table, key), {
      key,
      value: JSON.parse(JSON.stringify(value)),
      ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}),
    });
    return true;
  }

  async delete(table: string, key: StoreKey): Promise<void> {
    this.items.delete(id(table, key));
  }

  async query<T = unknown>(table: string, pk: string): Promise<StoreItem<T>[]> {
    return [...this.items.entries()]
      .filter(([name, item]) => name.startsWith(`${table}\n`) && item.key.pk === pk)
      .map(([, item]) => ({ ...item.key, value: item.value as T }));
  }

  #live(table: string, key: StoreKey) {
    const item = this.items.get(id(table, key));
    if (item?.expiresAt && item.expiresAt.getTime() <= this.clock.now().getTime()) return undefined;
    return item;
  }
}

function id(table: string, key: StoreKey): string {
  return `${table}\n${key.pk}\n${key.sk}`;
}

/** An in-memory registry: images with their labels. */
export class MemoryRegistry implements ImageRegistry {
  readonly images: (RegistryImage & { labels: Record<string, string> })[] = [];
  labelReads = 0;

  add(image: RegistryImage & { labels?: Record<string, string> }): void {
    this.images.push({ ...image, labels: image.labels ?? {} });
  }

  async getImageLabels(repository: string, digest: string) {
    this.labelReads += 1;
    return this.images.find((image) => image.repository === repository && image.digest === digest)?.labels;
  }

  async listImagesSince(repository: string, since: Date | undefined): Promise<RegistryImage[]> {
    return this.images
      .filter((image) => image.repository === repository)
      .filter((image) => since === undefined || image.pushedAt.getTime() >= since.getTime())
      .map(({ labels: _labels, ...image }) => image);
  }
}

/** A clock the test moves by hand. */
export function manualClock(
  start: string,
): Clock & { set(time: string): void; advance(seconds: number): void } {
  let now = new Date(start);
  return {
    now: () => now,
    set: (time) => {
      now = new Date(time);
    },
    advance: (seconds) => {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
}

/** A digest made of one repeated hex character. */
export function digestOf(char: string): string {
  return `sha256:${char.repeat(64)}`;
}

/** A commit made of one repeated hex character. */
export function commitOf(char: string): string {
  return char.repeat(40);
}

/** A configured app with the given repository and tag template. */
export function appOf(name: string, repository: string, tag = "{sha}") {
  return { name, image: { repository, tag } };
}
