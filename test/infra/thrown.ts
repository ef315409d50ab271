/** Runs something that must throw and returns what it threw, so a test can check the error once. */
export function thrown(run: () => unknown): { code?: unknown; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof Error) return { code: Reflect.get(error, "code"), message: error.message };
    return { message: String(error) };
  }
  throw new Error("expected the call to throw, and it returned");
}
