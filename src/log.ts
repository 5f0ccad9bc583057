// pino for everything, and the adapter Bolt's `logger` option needs, so Bolt's own lines are the
// same JSON. Tokens are redacted by path here and by pattern in Bolt's free-text messages.
import { pino, type Logger as PinoLogger } from "pino";
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import { redactSecrets } from "./incidents/redact.js";

export type Logger = PinoLogger;

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  return pino(
    {
      level,
      base: { app: "incident-bot" },
      redact: {
        paths: ["token", "*.token", "headers.authorization", "*.headers.authorization", "botToken", "appToken", "signingSecret", "*.botToken", "*.appToken", "*.signingSecret"],
        censor: "[redacted]",
      },
    },
    destination as pino.DestinationStream | undefined,
  );
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
  redactSecrets(parts.map((p) => (p instanceof Error ? p.stack ?? p.message : typeof p === "string" ? p : JSON.stringify(p))).join(" ")).text;

export function boltLogger(logger: Logger): BoltLogger {
  let child = logger.child({ component: "bolt" });
  // Bolt logs a debug line for every request: format (and redact) only what will be written.
  const at = (level: "debug" | "info" | "warn" | "error") => (...msg: unknown[]) => {
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
