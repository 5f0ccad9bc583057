// pino for everything, and the adapter Bolt's `logger` option needs, so Bolt's own lines are the
// same records. Tokens are redacted by path here and by pattern in Bolt's free-text messages.
// JSON is what log collectors read; a person at a terminal gets the same records made readable.
import { createRequire } from "node:module";
import { pino, type DestinationStream, type Logger as PinoLogger } from "pino";
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import { logFormatFromEnvironment, type LogFormat } from "./config/index.js";
import { redactSecrets } from "./incidents/redact.js";

export type Logger = PinoLogger;

/** LOG_FORMAT when set; otherwise readable on a terminal and JSON everywhere else (files, pipes, containers). */
export function chooseLogFormat(requested: LogFormat | undefined, writingToTerminal: boolean): LogFormat {
  return requested ?? (writingToTerminal ? "pretty" : "json");
}

type PrettyFactory = (options: Record<string, unknown>) => (line: string) => string;

/**
 * pino-pretty, loaded only when wanted so JSON logging never pays for it. It is a development
 * dependency, kept out of production installs (the image logs JSON): null when it is not installed.
 */
function loadPrettifier(): { prettyFactory: PrettyFactory; isColorSupported: boolean } | null {
  try {
    return createRequire(import.meta.url)("pino-pretty") as { prettyFactory: PrettyFactory; isColorSupported: boolean };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") return null;
    throw error;
  }
}

/**
 * Formats each line in the writing process, synchronously, rather than in pino's transport worker:
 * the last lines before an exit are not lost, and start-up does not wait for a thread.
 */
function prettyDestination(
  output: NodeJS.WritableStream & { isTTY?: boolean },
  prettifier: NonNullable<ReturnType<typeof loadPrettifier>>,
): DestinationStream {
  const prettify = prettifier.prettyFactory({
    colorize: Boolean(output.isTTY) && prettifier.isColorSupported,
    translateTime: "SYS:HH:MM:ss.l",
    ignore: "pid,hostname,app",
    singleLine: true,
  });
  return { write: (line: string) => void output.write(prettify(line)) };
}

/**
 * `destination` defaults to standard output. `format` defaults to LOG_FORMAT from the environment
 * (validated with the rest of the configuration), then to whether the destination is a terminal.
 */
export function createLogger(
  level: string,
  destination?: NodeJS.WritableStream,
  format: LogFormat | undefined = logFormatFromEnvironment(),
): Logger {
  const output: NodeJS.WritableStream & { isTTY?: boolean } = destination ?? process.stdout;
  const options = {
    level,
    base: { app: "incident-bot" },
    redact: {
      paths: [
        "token",
        "*.token",
        "headers.authorization",
        "*.headers.authorization",
        "botToken",
        "appToken",
        "signingSecret",
        "*.botToken",
        "*.appToken",
        "*.signingSecret",
      ],
      censor: "[redacted]",
    },
  };
  if (chooseLogFormat(format, Boolean(output.isTTY)) === "pretty") {
    const prettifier = loadPrettifier();
    if (prettifier) return pino(options, prettyDestination(output, prettifier));
    const logger = pino(options, destination as DestinationStream | undefined);
    logger.warn("readable logs need pino-pretty, a development dependency not installed here (npm ci --omit=dev): logging JSON");
    return logger;
  }
  return pino(options, destination as DestinationStream | undefined);
}

const boltLevels: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

const text = (parts: unknown[]) =>
  redactSecrets(parts.map((p) => (p instanceof Error ? (p.stack ?? p.message) : typeof p === "string" ? p : JSON.stringify(p))).join(" "))
    .text;

export function boltLogger(logger: Logger): BoltLogger {
  let child = logger.child({ component: "bolt" });
  // Bolt logs a debug line for every request: format (and redact) only what will be written.
  const at =
    (level: "debug" | "info" | "warn" | "error") =>
    (...msg: unknown[]) => {
      if (child.isLevelEnabled(level)) child[level](text(msg));
    };
  return {
    debug: at("debug"),
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    setLevel: () => {}, // the level is ours, set once from LOG_LEVEL
    getLevel: () => boltLevels[logger.level] ?? LogLevel.INFO,
    setName: (name) => {
      child = logger.child({ component: name });
    },
  };
}
