import { request } from "./api.js";
import { TEMPLATES, type Template, type TemplatesQuery } from "./operations.js";

/** The most importTemplates gives in one page (MAX_PAGE in src/schema/connection.ts). */
const PAGE = 500;

/**
 * Every one of the person's templates, oldest first: the pages that offer a choice of template need
 * them all, and importTemplates is a connection, so this reads it a page at a time.
 */
export async function allTemplates(): Promise<Template[]> {
  const templates: Template[] = [];
  let after: string | null = null;
  for (;;) {
    const { importTemplates: page }: TemplatesQuery = await request(TEMPLATES, { first: PAGE, after });
    templates.push(...page.edges.map((edge) => edge.node));
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) return templates;
    after = page.pageInfo.endCursor;
  }
}
