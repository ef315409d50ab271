/**
 * The outcome of checking one webhook signature. A failed check says why in a word, never with the
 * signature or the secret, so that callers can build a message that is safe to log.
 */
export type SignatureCheck =
  | { readonly valid: true }
  | { readonly valid: false; readonly problem: SignatureProblem; readonly detail?: string };

/**
 * Why a signature did not hold: the header was absent, was not of the expected form, did not match the
 * body, was too old or too far in the future (timestamped schemes), or there was no usable secret.
 */
export type SignatureProblem = "missing" | "malformed" | "mismatch" | "stale" | "no-secret";
