import SchemaBuilder from "@pothos/core";
import { DateTimeResolver } from "graphql-scalars";
import type { Context } from "./context.js";

/** The one Pothos builder; each file in this folder adds its domain's types and fields to it. */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string };
  };
}>({
  defaultFieldNullability: false,
});

builder.addScalarType("DateTime", DateTimeResolver);

builder.queryType({});
builder.mutationType({});
