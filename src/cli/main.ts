// `incident-bot <command>`: parsing, help, and where each command runs. Database commands run in
// this process against PostgreSQL or an embedded database no bot holds; while a bot holds the
// embedded database they run inside it, through its admin socket (one owner, see
// src/database/dataDirOwner.ts). Mistakes in what was typed are one line and exit code 2; failures
// are one line and exit code 1 (the stack trace only with LOG_LEVEL=debug).
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { ConfigError, loadConfig, loadStoreConfig } from "../config/index.js";
import { createLogger } from "../log.js";
import { startBot } from "../main.js";
import { StartupCheckFailed } from "../preflight/check.js";
import { DataDirBusyError, describeOwner, currentOwner, type OwnerInfo } from "../database/dataDirOwner.js";
import { openDatabase } from "../database/database.js";
import { prismaStores } from "../store/prismaStores.js";
import { runThroughBot } from "./adminSocket.js";
import { DOCTOR_SUMMARY, runDoctor } from "./doctor.js";
import { databaseCommands, type DatabaseCommand, type ParsedArgs } from "./commands.js";
import { processIO, UsageError, type CliIO } from "./io.js";

const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

const START_SYNOPSIS = "start";
/** How long a graceful shutdown may take before the process exits anyway (under Kubernetes' default 30 s grace). */
const SHUTDOWN_BOUND_MS = 25_000;
const START_SUMMARY = "run the bot (SLACK_MODE=socket|http; unset: Socket Mode with SLACK_APP_TOKEN, HTTP mode without)";

function usage(): string {
  const rows = [
    [START_SYNOPSIS, START_SUMMARY],
    ["doctor", DOCTOR_SUMMARY],
    ...databaseCommands.map((c) => [`${c.name}${c.synopsis ? ` ${c.synopsis}` : ""}`, c.summary]),
  ];
  const width = Math.max(...rows.map(([left]) => left!.length)) + 2;
  return [
    "Usage: incident-bot <command> [options]",
    "",
    "Commands:",
    ...rows.map(([left, right]) => `  ${left!.padEnd(width)}${right}`),
    "",
    "Options: -h, --help (also after a command), -V, --version",
    "Configuration comes from the environment and a .env file; see .env.example.",
    "",
  ].join("\n");
}

const commandUsage = (command: DatabaseCommand) =>
  `Usage: incident-bot ${command.name}${command.synopsis ? ` ${command.synopsis}` : ""}\n\n${command.summary}.\n`;

function parse(command: DatabaseCommand, args: string[]): ParsedArgs & { help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: { ...command.options, help: { type: "boolean", short: "h" } },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  const { help, ...values } = parsed.values as Record<string, string | boolean | undefined>;
  const result = { positionals: parsed.positionals, values, help: Boolean(help) };
  if (result.help) return result;
  const { min, max } = command.positionals;
  if (result.positionals.length < min) throw new UsageError(`incident-bot ${command.name} needs ${command.synopsis.split(" ")[0]}`);
  if (result.positionals.length > max)
    throw new UsageError(
      `incident-bot ${command.name} takes ${max === 0 ? "no arguments" : `at most ${max} argument`}; got “${result.positionals.slice(max).join(" ")}”`,
    );
  command.validate?.(result);
  return result;
}

/** Waits briefly for a bot that is still starting to open its admin socket. */
async function ownerSocket(dataDir: string, owner: OwnerInfo): Promise<string | null> {
  for (let waited = 0; !owner.socket && ["start", "(starting)"].includes(owner.command) && waited < 60_000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    owner = (await currentOwner(dataDir)) ?? owner;
  }
  return owner.socket;
}

async function runDatabaseCommand(command: DatabaseCommand, args: ParsedArgs, io: CliIO, env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadStoreConfig(env);
  const logger = createLogger(env.LOG_LEVEL ?? "warn", process.stderr);
  const throughOwner = async (owner: OwnerInfo, dataDir: string) => {
    const socket = await ownerSocket(dataDir, owner);
    if (!socket) throw new DataDirBusyError(dataDir, owner);
    return runThroughBot(socket, { command: command.name, ...args }, io);
  };
  if (config.database.kind === "pglite") {
    const owner = await currentOwner(config.database.dataDir);
    if (owner) return throughOwner(owner, config.database.dataDir);
  }
  let database;
  try {
    database = await openDatabase(config.database, {
      owner: command.name,
      queryTimeoutMs: 600_000, // export and import move whole tables
      onMigrated: (names) => names.length && logger.info({ migrations: names }, "applied database migrations"),
    });
  } catch (error) {
    // A bot started between our look and our claim: go through it.
    if (error instanceof DataDirBusyError) return throughOwner(error.owner, error.dataDir);
    throw error;
  }
  try {
    return await command.run({ database, ...prismaStores(database), timeZone: config.timeZone, insideBot: false }, args, io);
  } finally {
    await database.close();
  }
}

async function start(env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig(env);
  const logger = createLogger(config.logLevel);
  // A bug in a dependency must not take down the process and every incident it is recording.
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection (kept running)"));
  // Listening for signals before start-up, so a SIGTERM while starting still stops cleanly.
  const starting = startBot(config, {
    logger,
    onClaimLost: (reason) => {
      // Two PostgreSQL instances on one data directory lose writes: stop writing at once.
      logger.fatal({ reason }, "lost the embedded database to another process; exiting");
      process.exit(70);
    },
  });
  let stopping = false;
  let interrupts = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    // A second SIGTERM (timeout(1) and some supervisors send one) must not cut the graceful stop
    // short: it is logged and ignored. A person pressing Ctrl-C a third time means now.
    if (signal === "SIGINT" && ++interrupts >= 3) {
      logger.warn({ signal }, "third interrupt: exiting now, without finishing in-flight work");
      process.exit(1);
    }
    if (stopping) {
      const more = signal === "SIGINT" ? "press Ctrl-C again to exit now" : "this signal changes nothing";
      logger.info({ signal }, `already shutting down (at most ${SHUTDOWN_BOUND_MS / 1000} s); ${more}`);
      return;
    }
    stopping = true;
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    // The bound: shutdown waits for in-flight work, and work that never finishes must not keep
    // the process alive past an orchestrator's grace period (Kubernetes: 30 s by default).
    setTimeout(() => {
      logger.error({ boundMs: SHUTDOWN_BOUND_MS }, "shutdown did not finish in time; exiting");
      process.exit(1);
    }, SHUTDOWN_BOUND_MS).unref();
    starting
      .then((bot) => bot.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
  await starting;
  return -1; // keeps running
}

/** Runs one command line; resolves with the exit code (-1: the bot is running and keeps the process alive). */
export async function main(argv: string[], io: CliIO = processIO, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) return (io.err(usage()), 2);
    if (["help", "--help", "-h"].includes(name)) return (io.out(usage()), 0);
    if (["--version", "-V", "version"].includes(name)) return (io.out(`incident-bot ${version}\n`), 0);
    if (name === START_SYNOPSIS) {
      if (rest.some((arg) => arg === "--help" || arg === "-h")) return (io.out(`Usage: incident-bot start\n\n${START_SUMMARY}.\n`), 0);
      if (rest.length > 0) throw new UsageError(`incident-bot start takes no arguments; got “${rest.join(" ")}”`);
      return await start(env);
    }
    if (name === "doctor") {
      if (rest.some((arg) => arg === "--help" || arg === "-h")) return (io.out(`Usage: incident-bot doctor\n\n${DOCTOR_SUMMARY}.\n`), 0);
      if (rest.length > 0) throw new UsageError(`incident-bot doctor takes no arguments; got “${rest.join(" ")}”`);
      return await runDoctor(io, env);
    }
    const command = databaseCommands.find((c) => c.name === name);
    if (!command) throw new UsageError(`“${name}” is not an incident-bot command`);
    const args = parse(command, rest);
    if (args.help) return (io.out(commandUsage(command)), 0);
    if (command.name === "import") {
      const file = args.positionals[0]!;
      args.input = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
        throw new Error(`cannot read ${file}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
      });
    }
    if (command.name === "export" && args.positionals[0]) {
      const file = args.positionals[0];
      let json = "";
      const code = await runDatabaseCommand(command, args, { out: (text) => void (json += text), err: io.err }, env);
      if (code === 0) await writeFile(file, json);
      return code;
    }
    return await runDatabaseCommand(command, args, io, env);
  } catch (error) {
    if (error instanceof UsageError) {
      const command = databaseCommands.find((c) => c.name === name);
      const form = command
        ? `Usage: incident-bot ${command.name}${command.synopsis ? ` ${command.synopsis}` : ""}`
        : "Usage: incident-bot <command>";
      return (io.err(`incident-bot: ${error.message}. ${form} (see --help).\n`), 2);
    }
    if (error instanceof StartupCheckFailed) return (io.err(`incident-bot cannot start: ${error.message}\n`), 1);
    if (error instanceof ConfigError)
      return (io.err(`incident-bot cannot start.\n${error.message}\nSee .env.example for every setting.\n`), 78); // EX_CONFIG
    if (error instanceof DataDirBusyError) {
      const what = name === START_SYNOPSIS ? "cannot start" : `${name} cannot run now`;
      const hint =
        name === START_SYNOPSIS
          ? "Stop that process first. While a bot runs, list, report, export and import go through it. Several bots at once need PostgreSQL (DATABASE_URL)."
          : "Try again when it has finished.";
      return (
        io.err(`incident-bot ${what}: the embedded database in ${error.dataDir} is in use by ${describeOwner(error.owner)}. ${hint}\n`),
        1
      );
    }
    const debug = (env.LOG_LEVEL ?? "").match(/^(debug|trace)$/);
    const stack = debug && error instanceof Error ? `${error.stack}\n` : "";
    io.err(`incident-bot ${name ?? ""} failed: ${error instanceof Error ? error.message : String(error)}\n${stack}`);
    return 1;
  }
}
