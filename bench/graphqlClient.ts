/** The few GraphQL calls the benchmarks make, over plain HTTP. */

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

export async function signUp(url: string): Promise<string> {
  const data = await graphql(
    url,
    'mutation ($e: String!) { signUp(email: $e, password: "bench password") { token } }',
    {
      e: `bench${Date.now()}@example.com`,
    },
  );
  return data.signUp.token;
}

export async function createTemplate(url: string, token: string, columns: unknown[]): Promise<string> {
  const data = await graphql(
    url,
    "mutation ($input: CreateImportTemplateInput!) { createImportTemplate(input: $input) { id } }",
    { input: { name: "Bench", columns } },
    token,
  );
  return data.createImportTemplate.id;
}
