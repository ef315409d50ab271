import type * as z from "zod";
import { isRecord } from "./fields.js";

/** An item of a config list with its index in the file. */
export interface Indexed<T> {
  readonly index: number;
  readonly value: T;
}

/**
 * A lenient view of a config file as read from YAML, for checks across keys: those run even when
 * some items fail their schema, so that every problem is reported at once. Names are read raw (an
 * environment with a bad `soakTime` still exists for references); details come from the items that
 * pass their own schema.
 *
 * @example
 * ```ts
 * const view = new ConfigView(yamlValue);
 * view.names("environments"); // Set { "staging", "production" }
 * ```
 */
export class ConfigView {
  constructor(readonly raw: unknown) {}

  /** The items of a top-level list (empty when it is absent or not a list). */
  items(key: string): Indexed<unknown>[] {
    const list = isRecord(this.raw) ? this.raw[key] : undefined;
    return Array.isArray(list) ? list.map((value: unknown, index) => ({ index, value })) : [];
  }

  /** The `name` of each item of a list that has a text one. */
  named(key: string): Indexed<string>[] {
    return this.items(key).flatMap(({ index, value }) =>
      isRecord(value) && typeof value.name === "string" ? [{ index, value: value.name }] : [],
    );
  }

  /** The set of names in a list. */
  names(key: string): Set<string> {
    return new Set(this.named(key).map((item) => item.value));
  }

  /** The items of a list that pass `schema`, parsed. */
  parsed<S extends z.ZodType>(key: string, schema: S): Indexed<z.output<S>>[] {
    return this.items(key).flatMap(({ index, value }) => {
      const result = schema.safeParse(value);
      return result.success ? [{ index, value: result.data }] : [];
    });
  }

  /** A top-level mapping, parsed with `schema`, or undefined when it fails. */
  section<S extends z.ZodType>(key: string, schema: S): z.output<S> | undefined {
    const result = schema.safeParse(isRecord(this.raw) ? this.raw[key] : undefined);
    return result.success ? result.data : undefined;
  }
}
