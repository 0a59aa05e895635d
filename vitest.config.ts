import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";

const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // Vite would resolve our `import "graphql"` to graphql's .mjs build while the libraries in
    // node_modules get Node's CommonJS build; two GraphQLError classes break Yoga's error masking
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/globalSetup.ts"],
    // fails a test file when any error it received has no registered code
    setupFiles: ["test/helpers/walkErrors.setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
