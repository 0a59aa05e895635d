// Prints the Pothos schema to schema.graphql (run by `npm run generate`; a test fails when stale).
import fs from "node:fs";
import { printSchema } from "graphql";
import { schema } from "../src/schema/index.js";

fs.writeFileSync(new URL("../schema.graphql", import.meta.url), `${printSchema(schema)}\n`);
