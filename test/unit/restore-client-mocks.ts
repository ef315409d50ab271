// Setup file of the test projects that share a worker's modules across files (`isolate: false`).
// `mockClient(SomeClient)` of aws-sdk-client-mock replaces `SomeClient.prototype.send` with a
// stub of sinon's default sandbox. With shared modules that stub would outlive its file and answer
// for the real client in the next file that talks to a local server, so every stub is restored
// when a file ends. Sinon is loaded from where aws-sdk-client-mock loads it: the same sandbox.
import { createRequire } from "node:module";
import { afterAll } from "vitest";

const fromHere = createRequire(import.meta.url);
const fromClientMock = createRequire(fromHere.resolve("aws-sdk-client-mock"));

afterAll(() => {
  const sinon: unknown = fromClientMock("sinon");
  const restore: unknown =
    typeof sinon === "object" && sinon !== null ? Reflect.get(sinon, "restore") : undefined;
  if (typeof restore !== "function") throw new Error("sinon has no restore(); update this setup file");
  Reflect.apply(restore, sinon, []);
});
