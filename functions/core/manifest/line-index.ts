/**
 * Offsets to lines and back for one text, so that an edit can name the line it touched and an
 * error can quote the line it is about. Lines are 1-based; `\r\n` and `\n` both end a line.
 *
 * @example
 * ```ts
 * const lines = new LineIndex("a: 1\r\nb: 2\r\n");
 * lines.lineOf(6); // 2
 * lines.lineText(2); // "b: 2"
 * ```
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) this.starts.push(i + 1);
  }

  /** The 1-based line holding `offset`. */
  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((this.starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  }

  /** The 0-based column of `offset` on its line. */
  columnOf(offset: number): number {
    return offset - (this.starts[this.lineOf(offset) - 1] ?? 0);
  }

  /** The text of a 1-based line, without its line ending. */
  lineText(line: number): string {
    const start = this.starts[line - 1] ?? this.text.length;
    return this.text.slice(start, this.lineEnd(start));
  }

  /** The offset where the line holding `offset` ends, before its `\r\n` or `\n`. */
  lineEnd(offset: number): number {
    const newline = this.text.indexOf("\n", offset);
    if (newline === -1) return this.text.length;
    return this.text[newline - 1] === "\r" ? newline - 1 : newline;
  }
}
