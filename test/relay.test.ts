import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql } from "./gql/index.js";
import { isSettled, uploadFile, waitForImport } from "./helpers/imports.js";
import { startTestApp, type TestApp } from "./helpers/testApp.js";
import { SignUp } from "./operations.js";

const MakeTemplate = graphql(`
  mutation MakeNodeTemplate($input: CreateImportTemplateInput!) {
    createImportTemplate(input: $input) {
      id
    }
  }
`);

const FindNode = graphql(`
  query FindNode($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Import {
        fileName
      }
      ... on ImportTemplate {
        name
      }
      ... on ImportRecord {
        rowNumber
        data
      }
    }
  }
`);

const FindNodes = graphql(`
  query FindNodes($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      id
    }
  }
`);

const MakeKeyAndHook = graphql(`
  mutation MakeKeyAndHook {
    createApiKey(name: "ci") {
      apiKey {
        id
      }
    }
    createWebhook(url: "http://127.0.0.1:9/hook", events: [JOB_COMPLETED]) {
      webhook {
        id
      }
    }
  }
`);

const Pages = graphql(`
  query Pages($id: ID!, $after: String) {
    imports(first: 1, after: $after) {
      totalCount
      edges {
        node {
          id
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
    import(id: $id) {
      records(first: 2) {
        totalCount
        edges {
          node {
            id
          }
        }
      }
      errors(first: 1) {
        totalCount
      }
      changes(first: 1, kind: CREATED) {
        totalCount
      }
    }
  }
`);

let t: TestApp;

beforeAll(async () => {
  // webhooks to this machine are allowed, so the test can make one without a public receiver
  t = await startTestApp({ env: { WEBHOOK_ALLOW_PRIVATE: "true" } });
});

afterAll(async () => {
  await t.stop();
});

async function owner() {
  const signUp = await t.request(SignUp, { email: `${randomUUID()}@example.com`, password: "long enough" });
  const token = signUp.data!.signUp.token;
  const columns = [
    { key: "name", header: "Name", type: "STRING" as const, required: true },
    { key: "qty", header: "Qty", type: "INTEGER" as const, required: false },
  ];
  const made = await t.request(MakeTemplate, { input: { name: "Stock", columns } }, token);
  return { token, templateId: made.data!.createImportTemplate.id };
}

async function imported(o: Awaited<ReturnType<typeof owner>>, csv: string) {
  const started = await uploadFile(t, o.token, o.templateId, Buffer.from(csv), "stock.csv");
  const { id } = started.data!.startImport;
  await waitForImport(t.database.url, id, isSettled);
  return id;
}

describe("Node", () => {
  it("finds an import, a template and a record by id, and only the viewer's", async () => {
    const me = await owner();
    const id = await imported(me, "Name,Qty\nBolt,3\nNut,x\nWasher,5\n");
    expect((await t.request(FindNode, { id }, me.token)).data?.node).toEqual({
      __typename: "Import",
      id,
      fileName: "stock.csv",
    });
    expect((await t.request(FindNode, { id: me.templateId }, me.token)).data?.node).toEqual({
      __typename: "ImportTemplate",
      id: me.templateId,
      name: "Stock",
    });
    expect((await t.request(FindNode, { id: `${id}:4` }, me.token)).data?.node).toEqual({
      __typename: "ImportRecord",
      id: `${id}:4`,
      rowNumber: 4,
      data: { name: "Washer", qty: 5 },
    });
    const other = await owner();
    for (const missing of [id, me.templateId, `${id}:4`, randomUUID(), "not an id", `${id}:3`]) {
      const answer = await t.request(FindNode, { id: missing }, other.token);
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.node).toBeNull();
    }
  });

  it("finds the viewer's webhooks and API keys", async () => {
    const me = await owner();
    const made = (await t.request(MakeKeyAndHook, {}, me.token)).data!;
    const ids = [made.createApiKey.apiKey.id, made.createWebhook.webhook.id];
    expect((await t.request(FindNodes, { ids }, me.token)).data?.nodes).toEqual([
      { __typename: "ApiKey", id: ids[0] },
      { __typename: "Webhook", id: ids[1] },
    ]);
    expect((await t.request(FindNodes, { ids }, (await owner()).token)).data?.nodes).toEqual([null, null]);
  });

  it("nodes(ids) answers in the order asked, null where there is none, at most 100 ids", async () => {
    const me = await owner();
    const id = await imported(me, "Name,Qty\nBolt,3\n");
    const answer = await t.request(FindNodes, { ids: [me.templateId, randomUUID(), id] }, me.token);
    expect(answer.data?.nodes).toEqual([
      { __typename: "ImportTemplate", id: me.templateId },
      null,
      { __typename: "Import", id },
    ]);
    const tooMany = await t.request(FindNodes, { ids: Array.from({ length: 101 }, () => id) }, me.token);
    expect(tooMany.errors?.map((e) => [e.extensions?.code, e.message])).toEqual([
      ["BAD_USER_INPUT", "nodes takes at most 100 ids."],
    ]);
  });
});

describe("connections", () => {
  it("give the full PageInfo and a totalCount", async () => {
    const me = await owner();
    await imported(me, "Name,Qty\nBolt,3\n");
    const id = await imported(me, "Name,Qty\nBolt,3\nNut,x\nWasher,5\n");
    const first = (await t.request(Pages, { id }, me.token)).data!;
    expect(first.imports.totalCount).toBe(2);
    expect(first.imports.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(first.imports.pageInfo.startCursor).toBe(first.imports.pageInfo.endCursor);
    expect(first.import!.records.totalCount).toBe(2);
    expect(first.import!.records.edges.map((e) => e.node.id)).toEqual([`${id}:2`, `${id}:4`]);
    expect(first.import!.errors.totalCount).toBe(1);
    expect(first.import!.changes.totalCount).toBe(2);
    const second = (await t.request(Pages, { id, after: first.imports.pageInfo.endCursor }, me.token)).data!;
    expect(second.imports.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(second.imports.totalCount).toBe(2);
  });
});
