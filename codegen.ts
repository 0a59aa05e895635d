import type { CodegenConfig } from "@graphql-codegen/cli";

/** How the schema's custom scalars look in TypeScript, for every client in the repository. */
const scalars = { DateTime: "string", JSONObject: "Record<string, unknown>" };

const clientConfig = { useTypeImports: true, enumsAsTypes: true, scalars };

/**
 * Typed documents for the operations the repository sends: write them with `graphql(\`...\`)` from
 * the folder's `gql/`, and `npm run generate` types their variables and results. Each client has
 * its own documents (both may name an operation `Templates`), and its own output.
 */
const config: CodegenConfig = {
  schema: "schema.graphql",
  ignoreNoDocuments: true,
  emitLegacyCommonJSImports: false,
  generates: {
    // the tests, run by Node: DocumentNodes, which the test helpers print
    "test/gql/": {
      documents: ["test/**/*.ts", "!test/gql/**"],
      preset: "client",
      config: clientConfig,
      presetConfig: { fragmentMasking: false },
    },
    // the web page: TypedDocumentStrings, so the browser bundle needs no graphql-js to print them;
    // an Upload variable is the File the page sends in a multipart request (src/web/api.ts)
    "src/web/gql/": {
      documents: ["src/web/**/*.ts", "!src/web/gql/**"],
      preset: "client",
      config: { ...clientConfig, documentMode: "string", scalars: { ...scalars, Upload: "File" } },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
