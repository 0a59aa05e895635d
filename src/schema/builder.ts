import SchemaBuilder from "@pothos/core";
import { DateTimeResolver, JSONObjectResolver } from "graphql-scalars";
import { GraphQLUpload, type FileUpload } from "graphql-upload-minimal";
import type { Context } from "./context.js";

/** The one Pothos builder; each file in this folder adds its domain's types and fields to it. */
export const builder = new SchemaBuilder<{
  Context: Context;
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: true;
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    ID: { Input: string; Output: string };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
    Upload: { Input: Promise<FileUpload>; Output: never };
  };
}>({
  defaultFieldNullability: false,
  defaultInputFieldRequiredness: true,
});

builder.addScalarType("DateTime", DateTimeResolver);
builder.addScalarType("JSONObject", JSONObjectResolver);
builder.addScalarType("Upload", GraphQLUpload, {
  description: "A file sent as a part of a multipart request (GraphQL multipart request spec).",
});

builder.queryType({});
builder.mutationType({});
