import { once } from "node:events";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../src/server/useRequestBodies.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";

let t: TestApp;
let port: number;

beforeAll(async () => {
  t = await startTestApp({ role: "api", env: { UPLOAD_IDLE_TIMEOUT_SECONDS: "1", MAX_CONNECTIONS_PER_IP: "5" } });
  port = Number(new URL(t.url).port);
});

afterAll(async () => {
  await t.stop();
});

type Answer = { status: number; body: { errors?: Array<{ message: string; extensions?: { code?: string } }> } };

/** POSTs `body` to /graphql as JSON from 127.0.0.1, declaring its length or sending it chunked. */
function postJson(body: Buffer, { chunked = false } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { "content-type": "application/json" };
    if (!chunked) headers["content-length"] = body.length;
    const request = http.request({ port, path: "/graphql", method: "POST", headers }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode!, body: JSON.parse(text) as Answer["body"] }));
    });
    // the server may answer and close before the whole body is written
    request.on("error", reject);
    request.end(body);
  });
}

/** A JSON request of `bytes` bytes: `{ __typename }` with a padding variable. */
function jsonOf(bytes: number): Buffer {
  const head = '{"query":"{ __typename }","variables":{"pad":"';
  const tail = '"}}';
  return Buffer.from(head + "x".repeat(bytes - head.length - tail.length) + tail);
}

/** Opens a raw TCP connection from `localAddress`; resolves once connected. */
async function connect(localAddress = "127.0.0.1"): Promise<net.Socket> {
  const socket = net.connect({ port, host: "127.0.0.1", localAddress });
  await once(socket, "connect");
  return socket;
}

/** Resolves once the server has closed `socket` (reads what it sent meanwhile). */
async function closedByServer(socket: net.Socket): Promise<string> {
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  socket.on("error", () => undefined); // a reset is a close too
  await once(socket, "close");
  return received;
}

describe("request bodies without a file", () => {
  it(`takes a JSON body of exactly ${MAX_BODY_BYTES} bytes`, async () => {
    const answer = await postJson(jsonOf(MAX_BODY_BYTES));
    expect(answer).toEqual({ status: 200, body: { data: { __typename: "Query" } } });
  });

  it("refuses one a byte longer 413 REQUEST_ENTITY_TOO_LARGE, by its declared length or as it arrives", async () => {
    for (const chunked of [false, true]) {
      const answer = await postJson(jsonOf(MAX_BODY_BYTES + 1), { chunked });
      expect(answer.status).toBe(413);
      expect(answer.body.errors?.map((e) => e.extensions?.code)).toEqual(["REQUEST_ENTITY_TOO_LARGE"]);
      expect(answer.body.errors?.[0]?.message).toBe("A request without a file may be at most 4 MiB.");
    }
  });

  it("cuts a body that stops arriving after UPLOAD_IDLE_TIMEOUT_SECONDS, holding nothing", async () => {
    const socket = await connect();
    socket.write(
      "POST /graphql HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n" +
        '{"query":',
    );
    const started = Date.now();
    expect(await closedByServer(socket)).toBe("");
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});

describe("connections per address (MAX_CONNECTIONS_PER_IP=5)", () => {
  it("closes a 6th connection from one address at once, takes one from another, and one again when a slot frees", async () => {
    const held = await Promise.all(Array.from({ length: 5 }, () => connect("127.0.0.1")));
    try {
      // the 6th is accepted by the kernel, then closed by the server before it can send anything
      expect(await closedByServer(await connect("127.0.0.1"))).toBe("");
      const other = await connect("127.0.0.2");
      other.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      expect(await closedByServer(other)).toMatch(/^HTTP\/1\.1 200 OK/);

      held.pop()!.destroy();
      expect(await servedOnceFree()).toMatch(/^HTTP\/1\.1 200 OK/);
    } finally {
      held.forEach((socket) => socket.destroy());
    }
  });
});

/**
 * A /healthz answer from 127.0.0.1 as soon as the server has seen a connection of its close: until
 * then each try is closed unanswered, as the 6th was.
 */
async function servedOnceFree(): Promise<string> {
  for (;;) {
    const probe = await connect("127.0.0.1");
    probe.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    const answer = await closedByServer(probe);
    if (answer) return answer;
  }
}
