/** The head of a CGI response: status and headers, and where the body starts in the buffer read so far. */
export interface CgiHead {
  readonly status: number;
  readonly statusText: string;
  readonly headers: readonly (readonly [string, string])[];
  /** Offset of the first body byte in the buffer given to {@link parseCgiHead}. */
  readonly bodyOffset: number;
}

/**
 * Parses the header block a CGI script writes before its body (RFC 3875 section 6): lines up to an
 * empty line, `Status: <code> <text>` giving the status (200 when absent). Answers `undefined` while
 * the empty line has not arrived yet.
 *
 * @example
 * ```ts
 * parseCgiHead(Buffer.from("Status: 404 Not Found\r\nContent-Type: text/plain\r\n\r\nmissing"));
 * // { status: 404, statusText: "Not Found", headers: [["Content-Type", "text/plain"]], bodyOffset: 52 }
 * ```
 */
export function parseCgiHead(buffer: Buffer): CgiHead | undefined {
  const end = headEnd(buffer);
  if (!end) return undefined;
  const lines = buffer.subarray(0, end.start).toString("latin1").split(/\r?\n/);
  let status = 200;
  let statusText = "OK";
  const headers: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") {
      const match = /^(\d{3})\s*(.*)$/.exec(value);
      if (match) {
        status = Number(match[1]);
        statusText = match[2] ?? "";
      }
      continue;
    }
    headers.push([name, value]);
  }
  return { status, statusText, headers, bodyOffset: end.bodyOffset };
}

function headEnd(buffer: Buffer): { start: number; bodyOffset: number } | undefined {
  const crlf = buffer.indexOf("\r\n\r\n");
  const lf = buffer.indexOf("\n\n");
  if (crlf === -1 && lf === -1) return undefined;
  if (lf === -1 || (crlf !== -1 && crlf < lf)) return { start: crlf, bodyOffset: crlf + 4 };
  return { start: lf, bodyOffset: lf + 2 };
}
