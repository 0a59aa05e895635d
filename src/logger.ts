import {
  pino,
  stdSerializers,
  symbols,
  type Bindings,
  type ChildLoggerOptions,
  type DestinationStream,
  type Logger,
} from "pino";

export type { Logger };

/** Keys pino writes itself: a field of the same name would repeat them in the line. */
const RESERVED = ["level", "time", "msg"];

/**
 * JSON lines for machines; pretty lines when a person runs the server in a terminal. `destination`
 * (tests) receives the JSON lines instead of stdout.
 *
 * No key appears twice in a line. pino writes a child's fields and a call's fields side by side, so
 * `logger.child({ id }).info({ id }, …)` or a child of a child binding the same key would repeat
 * it, and JSON readers keep only one of the two. Here the more specific value wins: a call's field
 * over its logger's, a child's over its parent's; a call's `level`, `time` or `msg` is renamed
 * `_level`, `_time`, `_msg`.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const pretty = !destination && process.stdout.isTTY && !process.env.CI;
  const options = {
    level,
    base: undefined,
    // graphile-worker logs its errors as `error`: without this they would read `"error":{}`
    serializers: { err: stdSerializers.err, error: stdSerializers.err },
    hooks: { logMethod: withoutRepeatedKeys },
    ...(pretty ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l" } } } : {}),
  };
  const logger = destination ? pino(options, destination) : pino(options);
  const child = logger.child as unknown as (this: Logger, bindings: Bindings, options?: ChildLoggerOptions) => Logger;
  // every logger descends from this one (a pino child's prototype is its parent), so they all
  // create their children through this
  function childWithoutRepeats(this: Logger, bindings: Bindings, childOptions?: ChildLoggerOptions): Logger {
    const made = child.call(this, bindings, childOptions);
    const repeated = Object.keys(bindings).filter((key) => Object.hasOwn(this.bindings(), key));
    if (repeated.length > 0) {
      const added = fieldsOf(fragmentOf(made)).length - fieldsOf(fragmentOf(this)).length;
      dropBindings(made, repeated, added);
    }
    return made;
  }
  logger.child = childWithoutRepeats as unknown as Logger["child"];
  return logger;
}

/**
 * pino's `logMethod` hook: the call's own fields that its logger binds too are written once, with
 * the call's value, through a one-off logger without those bindings.
 */
function withoutRepeatedKeys(this: Logger, args: Parameters<Logger["info"]>, method: (...args: unknown[]) => void) {
  const [fields, ...rest] = args as unknown[];
  if (typeof fields !== "object" || fields === null || fields instanceof Error) return method.apply(this, args);
  let own = fields as Record<string, unknown>;
  // a `msg` field with no message beside it is the message
  const hasMessage = typeof rest[0] === "string";
  for (const key of RESERVED) {
    if (Object.hasOwn(own, key) && (key !== "msg" || hasMessage)) {
      const { [key]: value, ...others } = own;
      own = { ...others, [`_${key}`]: value };
    }
  }
  if (fragmentOf(this) === "") return method.apply(this, [own, ...rest]);
  const bound = this.bindings();
  const repeated = Object.keys(own).filter((key) => Object.hasOwn(bound, key));
  if (repeated.length === 0) return method.apply(this, [own, ...rest]);
  const once = Object.create(this) as Logger;
  dropBindings(once, repeated, 0);
  return method.apply(once, [own, ...rest]);
}

/**
 * Removes `keys` from the fields `logger` binds, except for the last `keep` fields (a new child's
 * own, which win over its parent's). pino keeps a logger's fields as a ready-made JSON fragment
 * (`,"a":1,"b":2`) under an exported symbol; it is rebuilt from its parsed form.
 */
function dropBindings(logger: Logger, keys: readonly string[], keep: number) {
  const entries = fieldsOf(fragmentOf(logger));
  const kept = entries.filter(([key], index) => index >= entries.length - keep || !keys.includes(key));
  (logger as unknown as Record<symbol, string>)[symbols.chindingsSym] = kept
    .map(([key, json]) => `,${JSON.stringify(key)}:${json}`)
    .join("");
}

/** The JSON fragment of the fields `logger` binds. */
function fragmentOf(logger: Logger): string {
  return (logger as unknown as Record<symbol, string | undefined>)[symbols.chindingsSym] ?? "";
}

/** The `[key, value as JSON]` pairs of a fragment like `,"a":1,"b":{"c":2}`, in order, repeats kept. */
function fieldsOf(fragment: string): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  let i = 0;
  while (i < fragment.length) {
    if (fragment[i] === ",") i++;
    const keyEnd = endOfString(fragment, i);
    const key = JSON.parse(fragment.slice(i, keyEnd)) as string;
    const valueStart = keyEnd + 1; // past the colon
    const valueEnd = endOfValue(fragment, valueStart);
    fields.push([key, fragment.slice(valueStart, valueEnd)]);
    i = valueEnd;
  }
  return fields;
}

/** Just past the end of the JSON string that starts at `start`. */
function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

/** Where the JSON value starting at `start` ends: at the first comma or end outside strings and brackets. */
function endOfValue(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{" || c === "[") depth++;
    else if (c === "}" || c === "]") depth--;
    else if (c === "," && depth === 0) return i;
  }
  return text.length;
}
