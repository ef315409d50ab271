/**
 * Tells whether a string holds a control character (U+0000 to U+001F, U+007F): a line break,
 * tab, NUL or escape, none of which a one-line value or a file path may hold.
 *
 * @example
 * ```ts
 * hasControlCharacter("v1\n"); // true
 * ```
 */
export function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
