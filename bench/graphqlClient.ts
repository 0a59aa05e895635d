/**
 * The benchmarks' client: the public API only, as a third-party client calls it (GraphQL over HTTP,
 * multipart uploads, graphql-ws, download links).
 */
import { randomBytes } from "node:crypto";
import { openAsBlob } from "node:fs";
import path from "node:path";
import { createClient, type Client } from "graphql-ws";
import WebSocket from "ws";

export async function graphql(url: string, query: string, variables: object, token?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a bench script, not a client
  const body = (await response.json()) as { data?: any; errors?: unknown };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** A new user's bearer token. */
export async function signUp(url: string): Promise<string> {
  const data = await graphql(url, "mutation ($e: String!, $p: String!) { signUp(email: $e, password: $p) { token } }", {
    e: `bench-${randomBytes(6).toString("hex")}@example.com`,
    p: randomBytes(12).toString("base64url"),
  });
  return data.signUp.token;
}

export async function createTemplate(url: string, token: string, columns: readonly object[]): Promise<string> {
  const data = await graphql(
    url,
    "mutation ($input: CreateImportTemplateInput!) { createImportTemplate(input: $input) { id } }",
    { input: { name: "Bench", columns } },
    token,
  );
  return data.createImportTemplate.id;
}

/** Uploads `file` through the multipart endpoint; resolves with the import's id once it is queued. */
export async function startImport(url: string, token: string, templateId: string, file: string): Promise<string> {
  const body = new FormData();
  const query = "mutation ($t: ID!, $f: Upload!) { startImport(templateId: $t, file: $f) { id } }";
  body.append("operations", JSON.stringify({ query, variables: { t: templateId, f: null } }));
  body.append("map", JSON.stringify({ 0: ["variables.f"] }));
  body.append("0", await openAsBlob(file), path.basename(file));
  const response = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "x-graphql-yoga-csrf": "1" },
    body,
  });
  const answer = (await response.json()) as { data?: { startImport: { id: string } }; errors?: unknown };
  if (!answer.data) throw new Error(JSON.stringify(answer.errors));
  return answer.data.startImport.id;
}

export function wsClient(url: string, token: string): Client {
  return createClient({
    url: url.replace(/^http/, "ws"),
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
  });
}

/** A job as the bench reads it when it has ended. */
export interface EndedJob {
  status: string;
  errorMessage: string | null;
  createdAt: string;
  processingStartedAt: string | null;
  processingCompletedAt: string | null;
  rowsImported?: number;
  rowCount?: number;
  fileSize?: number;
  downloadUrl?: string | null;
}

const ENDED = ["COMPLETED", "FAILED", "CANCELLED", "NEEDS_REVIEW"];
const JOB_FIELDS = `status errorMessage createdAt processingStartedAt processingCompletedAt
  ... on Import { rowsImported } ... on Export { rowCount fileSize downloadUrl }`;

/** Resolves with the job once jobStatus reports it ended (its current state counts: it may have ended already). */
export function jobEnded(client: Client, id: string): Promise<EndedJob> {
  return new Promise((resolve, reject) => {
    const stop = client.subscribe<{ jobStatus: EndedJob }>(
      { query: `subscription ($id: ID!) { jobStatus(id: $id) { ${JOB_FIELDS} } }`, variables: { id } },
      {
        next: ({ data, errors }) => {
          if (errors) return reject(new Error(JSON.stringify(errors)));
          if (data && ENDED.includes(data.jobStatus.status)) {
            stop();
            resolve(data.jobStatus);
          }
        },
        error: reject,
        complete: () => undefined,
      },
    );
  });
}

/** Queues an xlsx export of one import's records; resolves with the export's id. */
export async function requestExport(url: string, token: string, templateId: string, importId: string) {
  const data = await graphql(
    url,
    "mutation ($t: ID!, $i: ID) { requestExport(templateId: $t, importId: $i, format: XLSX) { id } }",
    { t: templateId, i: importId },
    token,
  );
  return data.requestExport.id as string;
}

/** One import through the API, timed from the start of the upload to the COMPLETED event. */
export interface TimedImport {
  id: string;
  job: EndedJob;
  /** startImport sent → its answer (the file is stored and the job queued). */
  uploadSeconds: number;
  /** startImport sent → jobStatus says COMPLETED. */
  seconds: number;
}

export async function timedImport(url: string, token: string, templateId: string, file: string): Promise<TimedImport> {
  const client = wsClient(url, token);
  try {
    const started = performance.now();
    const id = await startImport(url, token, templateId, file);
    const uploadSeconds = (performance.now() - started) / 1000;
    const job = await jobEnded(client, id);
    const seconds = (performance.now() - started) / 1000;
    if (job.status !== "COMPLETED") throw new Error(`import ${id} ended ${job.status}: ${job.errorMessage}`);
    return { id, job, uploadSeconds, seconds };
  } finally {
    await client.dispose();
  }
}
