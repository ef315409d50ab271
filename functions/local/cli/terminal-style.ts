/** Colours for people's output; each is the identity when colour is off. */
export interface TerminalStyle {
  /** Whether escape codes are written at all. */
  readonly colour: boolean;
  /** Something that went well (green). */
  ok(text: string): string;
  /** Something that failed (red). */
  failed(text: string): string;
  /** Something waiting or held (yellow). */
  waiting(text: string): string;
  /** Something to read past (dim). */
  dim(text: string): string;
  /** A heading (bold). */
  bold(text: string): string;
}

const paint = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/**
 * The style of a stream: colour only on a terminal (`isTTY`), never with `NO_COLOR` set (any value,
 * as no-color.org asks) or `TERM=dumb`; `FORCE_COLOR` (other than `0`) turns it on anyway, for tools
 * that show colour without a terminal.
 *
 * @example
 * ```ts
 * const style = terminalStyle(io.stdout, io.env);
 * io.stdout.write(`${style.ok("✓")} verified\n`);
 * ```
 */
export function terminalStyle(stream: object, env: NodeJS.ProcessEnv): TerminalStyle {
  const colour = colourWanted(stream, env);
  if (!colour) {
    return { colour, ok: plain, failed: plain, waiting: plain, dim: plain, bold: plain };
  }
  return {
    colour,
    ok: paint(32, 39),
    failed: paint(31, 39),
    waiting: paint(33, 39),
    dim: paint(2, 22),
    bold: paint(1, 22),
  };
}

function colourWanted(stream: object, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "" && env.FORCE_COLOR !== "0") return true;
  if (env.TERM === "dumb") return false;
  return "isTTY" in stream && stream.isTTY === true;
}
