import http from "node:http";

/** The boundary of every request built here. */
export const BOUNDARY = "----rawMultipartBoundary";

/** The end of a multipart body. */
export const CLOSING = `--${BOUNDARY}--\r\n`;

export interface Answer<T = unknown> {
  status: number;
  body: { data?: T | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

type Part = [name: string, value: string | { fileName: string; bytes: Buffer }];

/** The multipart parts of a request, in order (fields as strings, files as `{ fileName, bytes }`), closed. */
export function multipart(parts: Part[]): Buffer {
  return Buffer.concat([...parts.map(partOf), Buffer.from(CLOSING)]);
}

/** The start of a file part named `name`: what follows it is the file's bytes. */
export function fileHead(name: string, fileName: string): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`;
}

function partOf([name, value]: Part): Buffer {
  if (typeof value === "string") {
    return Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
  }
  return Buffer.concat([Buffer.from(fileHead(name, value.fileName)), value.bytes, Buffer.from("\r\n")]);
}

/**
 * A multipart request to the GraphQL endpoint at `url`, as `token`'s bearer, on a socket of its own
 * and sent chunked as the test writes it: the test decides when (and whether) each byte goes.
 * `answer` resolves with the server's response whenever it comes; `answered()` says whether it has.
 */
export function openMultipart<T = unknown>(url: string, token: string) {
  const req = http.request(url, {
    method: "POST",
    agent: false,
    headers: {
      authorization: `Bearer ${token}`,
      "x-graphql-yoga-csrf": "1",
      "content-type": `multipart/form-data; boundary=${BOUNDARY}`,
    },
  });
  let answered = false;
  const answer = new Promise<Answer<T>>((resolve, reject) => {
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => {
        answered = true;
        resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) as Answer<T>["body"] });
      });
    });
    req.on("error", reject);
  });
  answer.catch(() => undefined); // a test that destroys the request does not wait for an answer
  req.flushHeaders();
  return { req, answer, answered: () => answered };
}
