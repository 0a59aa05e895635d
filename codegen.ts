import type { CodegenConfig } from "@graphql-codegen/cli";

/**
 * Typed documents for the operations the tests (and later clients) send: write them with
 * `graphql(\`...\`)` from `test/gql`, and `npm run generate` types their variables and results.
 */
const config: CodegenConfig = {
  schema: "schema.graphql",
  documents: ["test/**/*.ts", "!test/gql/**"],
  ignoreNoDocuments: true,
  emitLegacyCommonJSImports: false,
  generates: {
    "test/gql/": {
      preset: "client",
      config: {
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { DateTime: "string", JSONObject: "Record<string, unknown>" },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
