import { afterAll } from "vitest";
import { uncodedErrors, walkResponse, walksSettled } from "./errorWalk.js";

// every fetch a test makes goes through the walk, so raw requests are checked like request()'s
const unwalkedFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  // not new Request(input, init): that would lock a streamed body before fetch sends it
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  const url = new URL(input instanceof Request ? input.url : input);
  return walkResponse(method.toUpperCase(), url, await unwalkedFetch(input, init));
};

// runs after the file's own afterAll hooks (vitest runs them last-registered first)
afterAll(async () => {
  await walksSettled();
  const uncoded = uncodedErrors();
  if (uncoded.length) {
    throw new Error(`${uncoded.length} error(s) reached a client without a registered code:\n${uncoded.join("\n")}`);
  }
});
