import { expect } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";

/** Runs `act`, asserts it throws a ShiplineError with `code`, and returns the error for more checks. */
export function catchShiplineError(act: () => unknown, code: string): ShiplineError {
  let caught: unknown;
  try {
    act();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ShiplineError);
  const error =
    caught instanceof ShiplineError ? caught : new ShiplineError({ code: "NOT_THROWN", message: "" });
  expect(error.code).toBe(code);
  expect(error.retryable).toBe(false);
  return error;
}
