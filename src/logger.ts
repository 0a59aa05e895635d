import { pino, type Logger } from "pino";

export type { Logger };

/**
 * JSON lines for machines; pretty lines when a person runs the server in a terminal.
 */
export function createLogger(level: string): Logger {
  const pretty = process.stdout.isTTY && !process.env.CI;
  return pino({
    level,
    base: undefined,
    ...(pretty ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss.l" } } } : {}),
  });
}
