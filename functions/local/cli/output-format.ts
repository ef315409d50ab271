import { UsageError } from "./command.js";

/** How a command prints its data: a table (the default), a wider table, JSON or YAML. */
export const OUTPUT_FORMATS = ["table", "wide", "json", "yaml"] as const;

/** One of {@link OUTPUT_FORMATS}. */
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The flags of every command that prints data: `-o, --output FORMAT`, and `--json` for `-o json`. */
export const OUTPUT_FLAGS = {
  output: { type: "string", short: "o" },
  json: { type: "boolean" },
} as const;

/** The help lines of {@link OUTPUT_FLAGS}, for a command's `options`. */
export function outputOptions(formats: readonly OutputFormat[] = OUTPUT_FORMATS) {
  return [
    {
      flag: "-o, --output FORMAT",
      text: `print as ${formats.join(", ")} (default ${formats[0] ?? "table"})`,
    },
    { flag: "--json", text: "same as -o json" },
  ] as const;
}

/**
 * The output format the flags ask for, among those the command prints: `--json` is `-o json`;
 * nothing given is the command's first format. Throws a {@link UsageError} naming the formats.
 *
 * @example
 * ```ts
 * const format = outputFormatOf(values); // "table" | "wide" | "json" | "yaml"
 * ```
 */
export function outputFormatOf(
  values: { readonly output?: string | undefined; readonly json?: boolean | undefined },
  formats: readonly OutputFormat[] = OUTPUT_FORMATS,
): OutputFormat {
  if (values.json === true && values.output !== undefined && values.output !== "json") {
    throw new UsageError(`--json and -o ${values.output} disagree: give one of them`);
  }
  const wanted = values.json === true ? "json" : (values.output ?? formats[0] ?? "table");
  const format = formats.find((known) => known === wanted);
  if (format === undefined) {
    throw new UsageError(`-o '${wanted}' is not an output format here: write -o ${formats.join("|")}`);
  }
  return format;
}

/** Whether the format prints data for programs (JSON, YAML) rather than for people. */
export function isDataFormat(format: OutputFormat): format is "json" | "yaml" {
  return format === "json" || format === "yaml";
}

/**
 * Renders documents as JSON (one per line, or indented by `indent`) or as YAML (documents
 * separated by `---`). YAML is loaded only when asked for.
 *
 * @example
 * ```ts
 * io.stdout.write(await renderDocuments("yaml", [journey]));
 * ```
 */
export async function renderDocuments(
  format: "json" | "yaml",
  documents: readonly unknown[],
  options: { readonly indent?: number } = {},
): Promise<string> {
  if (format === "json") {
    return documents.map((document) => `${JSON.stringify(document, null, options.indent)}\n`).join("");
  }
  const { stringify } = await import("yaml");
  return documents.map((document) => stringify(document, { lineWidth: 0 })).join("---\n");
}
