import { type Document, parseAllDocuments } from "yaml";
import { ShiplineError } from "../errors/shipline-error.js";
import { LineIndex } from "./line-index.js";

/** A YAML file parsed for editing: its documents keep the source offsets of every node. */
export interface ParsedManifest {
  /** The original text; edits are spliced into it, never re-stringified. */
  readonly text: string;
  /** The documents, in file order (`---` separated). */
  readonly documents: readonly Document.Parsed[];
  /** The file's line ending, used for any line an edit adds. */
  readonly newline: "\n" | "\r\n";
  /** Line lookups on {@link text}. */
  readonly lines: LineIndex;
}

/**
 * Parses a YAML file for editing. A file that is not valid YAML (including duplicate keys) is
 * refused with `MANIFEST_PARSE_FAILED` naming the line, since an edit could not be trusted.
 *
 * @example
 * ```ts
 * const manifest = parseManifest("image:\n  tag: v1\n");
 * manifest.documents.length; // 1
 * ```
 */
export function parseManifest(text: string): ParsedManifest {
  const lines = new LineIndex(text);
  const parsed = parseAllDocuments(text, { uniqueKeys: true });
  const documents = Array.isArray(parsed) ? parsed : [];
  for (const [documentIndex, document] of documents.entries()) {
    const error = document.errors[0];
    if (error) {
      const line = lines.lineOf(error.pos[0]);
      const reason = (error.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
      throw new ShiplineError({
        code: "MANIFEST_PARSE_FAILED",
        message: `the file is not valid YAML at line ${line} (document ${documentIndex}): ${reason}; fix the file in the config repository first`,
        data: { documentIndex, line, lineText: lines.lineText(line), reason: error.code },
      });
    }
  }
  const firstNewline = text.indexOf("\n");
  const newline = firstNewline > 0 && text[firstNewline - 1] === "\r" ? "\r\n" : "\n";
  return { text, documents, newline, lines };
}
