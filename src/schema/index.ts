import { builder } from "./builder.js";
import "./user.js";
import "./apiKey.js";
import "./job.js";
import "./importTemplate.js";
import "./inferTemplate.js";
import "./import.js";
import "./export.js";
import "./cancel.js";
import "./subscription.js";
import "./webhook.js";
import "./node.js";

/** The executable schema; `npm run generate` prints it to schema.graphql. */
export const schema = builder.toSchema({ sortSchema: true });
