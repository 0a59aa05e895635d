import { maxAliasesRule } from "@escape.tech/graphql-armor-max-aliases";
import { maxDepthRule } from "@escape.tech/graphql-armor-max-depth";
import { maxDirectivesRule } from "@escape.tech/graphql-armor-max-directives";
import {
  getArgumentValues,
  getNamedType,
  getVariableValues,
  GraphQLError,
  isObjectType,
  isInterfaceType,
  Kind,
  type Source,
  TokenKind,
  type ASTNode,
  type DocumentNode,
  type GraphQLNamedType,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from "graphql";
import { Parser } from "graphql/language/parser.js";
import type { Plugin } from "graphql-yoga";
import type { ErrorCode } from "../errors.js";
import { MAX_PAGE } from "../schema/connection.js";

// Limits of one GraphQL document, the same over HTTP, SSE and graphql-ws. They are constants, not
// configuration: the schema and its clients decide what a reasonable query is, not a deployment.
// GraphiQL's introspection query, the web page's operations (src/web/operations.ts) and the test
// suite's all fit well within them (test/queryLimits.test.ts checks the first two).

/**
 * Tokens in one document (names, punctuation, values). GraphiQL's introspection query has about
 * 190 and the largest web page or test operation about 120; a flood of tokens is refused while
 * it is being read, before anything else looks at it.
 */
export const MAX_TOKENS = 2_000;

/**
 * How deep `{`, `[` and `(` may nest while a document is read. The parser recurses once per level
 * and overflows the stack somewhere past 1,000 (a 500 instead of an answer); this refuses a deep
 * document long before.
 */
export const MAX_NESTING = 64;

/**
 * Depth of fields in an operation, fragments flattened. The deepest web page operation has 5
 * (`job > errors > edges > node > rowNumber`), a records page under a list of imports 7.
 * Introspection under `__schema` is not counted: graphql-js already caps how deep its lists that
 * lead back to types (`fields`, `interfaces`, `possibleTypes`, `inputFields`) may nest, and
 * GraphiQL's own query reaches 15 through `ofType`.
 */
export const MAX_DEPTH = 12;

/** Aliased fields in an operation: each alias of a field runs it again. The web page uses 2. */
export const MAX_ALIASES = 20;

/** Directives (`@include`, `@skip`) in an operation. */
export const MAX_DIRECTIVES = 20;

/**
 * The largest estimated cost of an operation (see {@link operationCost}). 50,000 allows a full
 * page of 500 imports with every field of each, or 20 imports with a page of 50 errors and 50
 * records each; it refuses nested connections of full pages (500 imports × 500 records) and
 * several aliased copies of big pages.
 */
export const MAX_COST = 50_000;

/** What one connection page costs besides its rows: a database query. */
const PAGE_COST = 10;

const CODE: ErrorCode = "QUERY_TOO_COMPLEX";

function tooComplex(message: string, options: { nodes?: ASTNode; source?: Source; positions?: number[] } = {}) {
  return new GraphQLError(message, { ...options, extensions: { code: CODE } });
}

const OPENING = new Set<TokenKind>([TokenKind.BRACE_L, TokenKind.BRACKET_L, TokenKind.PAREN_L]);
const CLOSING = new Set<TokenKind>([TokenKind.BRACE_R, TokenKind.BRACKET_R, TokenKind.PAREN_R]);

/** graphql's parser, counting tokens and nesting as it reads, and stopping at either limit. */
class LimitedParser extends Parser {
  private tokens = 0;
  private nesting = 0;

  override advanceLexer(): void {
    super.advanceLexer();
    const token = this._lexer.token;
    if (token.kind === TokenKind.EOF) return;
    const at = { source: this._lexer.source, positions: [token.start] };
    if (++this.tokens > MAX_TOKENS) {
      throw tooComplex(`The document has more than ${MAX_TOKENS} tokens.`, at);
    }
    if (OPENING.has(token.kind) && ++this.nesting > MAX_NESTING) {
      throw tooComplex(`The document nests brackets more than ${MAX_NESTING} deep.`, at);
    }
    if (CLOSING.has(token.kind)) this.nesting--;
  }
}

/**
 * Parses a GraphQL document within {@link MAX_TOKENS} and {@link MAX_NESTING}: a syntax error as
 * graphql's `parse` throws it, a limit as a QUERY_TOO_COMPLEX error; never a stack overflow.
 */
export function parseQuery(source: string | Source): DocumentNode {
  return new LimitedParser(source).parseDocument();
}

/**
 * The estimated cost of `operation`: 1 for each field, times the page size (`first`, as the
 * resolver will see it: from the argument, a variable or the field's default, at most MAX_PAGE)
 * of every connection it is under, plus {@link PAGE_COST} per page fetched. A fragment spread
 * counts its fragment each time (an over-estimate when fields merge), a cycle nothing (another
 * rule reports it).
 */
export function operationCost(
  context: ValidationContext,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> | undefined,
): number {
  const schema = context.getSchema();
  // as execution will coerce them; variables that do not coerce fail there, so here they count as absent
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
  const variableValues = coerced.coerced ?? {};
  const fragmentCosts = new Map<string, number>();

  function selectionCost(selectionSet: SelectionSetNode, parent: GraphQLNamedType | null | undefined): number {
    let cost = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        cost += 1;
        const field =
          isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
        if (!field || !selection.selectionSet) continue;
        const below = selectionCost(selection.selectionSet, getNamedType(field.type));
        const firstArg = field.args.find((arg) => arg.name === "first");
        if (!firstArg) {
          cost += below;
          continue;
        }
        let first: unknown;
        try {
          first = getArgumentValues(field, selection, variableValues).first;
        } catch {
          // an argument of the wrong type: validation reports it, and nothing runs
        }
        const page = typeof first === "number" ? Math.min(Math.max(first, 0), MAX_PAGE) : firstArg.defaultValue;
        cost += PAGE_COST + (typeof page === "number" ? page : MAX_PAGE) * below;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        cost += selectionCost(selection.selectionSet, type);
      } else {
        const name = selection.name.value;
        if (!fragmentCosts.has(name)) {
          fragmentCosts.set(name, 0); // a cycle back to this fragment adds nothing
          const fragment = context.getFragment(name);
          if (fragment) {
            const type = schema.getType(fragment.typeCondition.name.value);
            fragmentCosts.set(name, selectionCost(fragment.selectionSet, type));
          }
        }
        cost += fragmentCosts.get(name) ?? 0;
      }
    }
    return cost;
  }

  return selectionCost(operation.selectionSet, schema.getRootType(operation.operation));
}

/** Refuses an operation whose {@link operationCost} passes {@link MAX_COST}. */
function costRule(variables: Record<string, unknown> | undefined): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const cost = operationCost(context, operation, variables);
      if (cost > MAX_COST) {
        context.reportError(
          tooComplex(
            `The query's estimated cost is ${cost}, over the limit of ${MAX_COST}: ask for smaller pages (first) or fewer nested connections.`,
            { nodes: operation },
          ),
        );
      }
    },
  });
}

/** graphql-armor's options for one limit: report its error with our code rather than throw it. */
function armor(n: number) {
  return {
    n,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, err: GraphQLError) =>
        context?.reportError(tooComplex(err.message.replace(/^Syntax Error: /, ""))),
    ],
  };
}

/**
 * The validation rules of the limits above (depth, aliases, directives, cost) for an operation
 * sent with `variables`.
 */
export function queryLimitRules(variables: Record<string, unknown> | undefined): ValidationRule[] {
  return [
    maxDepthRule({ ...armor(MAX_DEPTH), flattenFragments: true }),
    maxAliasesRule(armor(MAX_ALIASES)),
    maxDirectivesRule(armor(MAX_DIRECTIVES)),
    costRule(variables),
  ];
}

/**
 * The document limits above, as an envelop plugin: Yoga's parser becomes {@link parseQuery}, and
 * validation adds {@link queryLimitRules}. The graphql-ws server validates through the same
 * envelop, and parses with {@link parseQuery} itself. The cost reads the operation's variables,
 * so Yoga's validation cache (by document alone) must be off.
 */
export function useQueryLimits(): Plugin {
  return {
    onParse({ setParseFn }) {
      setParseFn(parseQuery);
    },
    onValidate({ addValidationRule, context }) {
      const { params } = context as { params?: { variables?: Record<string, unknown> } };
      for (const rule of queryLimitRules(params?.variables)) addValidationRule(rule);
    },
  };
}
