#!/usr/bin/env node
// `incident-bot <command>`: start the bot, apply migrations, print reports, list incidents.
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { PrismaClient } from "./generated/prisma/client.js";
import { exportAll, importAll, type ExportFile } from "./store/transfer.js";
import { ConfigError, loadConfig, loadStoreConfig } from "./config/index.js";
import { compileReport } from "./incidents/report/compile.js";
import { createLogger, type Logger } from "./log.js";
import { startBot } from "./main.js";
import { openDatabase } from "./store/database.js";
import { PrismaIncidentStore } from "./store/prismaIncidentStore.js";
import { formatInZone } from "./incidents/time.js";

const USAGE = `Usage: incident-bot <command>

Commands:
  start                                 run the bot (HTTP mode, or Socket Mode with SLACK_APP_TOKEN)
  migrate                               apply pending database migrations and exit
  list                                  list incidents
  report <number> [--format markdown|json]
                                        print an incident's current report (JSON: with the full record)
  export [file]                         write every table as JSON (to a file, or standard output)
  import <file>                         load an export into this database (existing rows are kept)

Configuration comes from the environment and a .env file; see .env.example.`;

async function start() {
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  // A bug in a dependency (Bolt throws on a signed request whose body is JSON null, outside any
  // handler of ours) must not take down the process and every incident it is recording.
  process.on("unhandledRejection", (reason) => logger.error({ err: reason }, "unhandled rejection (kept running)"));
  const bot = await startBot(config, { logger });
  let signals = 0;
  const shutdown = (signal: string) => {
    if (++signals > 1) process.exit(1); // a second Ctrl-C means now
    logger.info({ signal }, "shutting down: finishing in-flight requests");
    bot.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

async function withStore<T>(logger: Logger, work: (store: PrismaIncidentStore, timeZone: string, prisma: PrismaClient) => Promise<T>): Promise<T> {
  const config = loadStoreConfig();
  const database = await openDatabase(config.database, {
    onMigrated: (names) => names.length && logger.info({ migrations: names }, "applied database migrations"),
    queryTimeoutMs: 600_000, // export and import move whole tables
  });
  try {
    return await work(new PrismaIncidentStore(database), config.timezone, database.prisma);
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const logger = createLogger(process.env.LOG_LEVEL ?? "warn", process.stderr);
  switch (command) {
    case "start":
      await start();
      return -1; // keeps running
    case "migrate": {
      const config = loadStoreConfig();
      const database = await openDatabase(config.database, {
        onMigrated: (names) => console.log(names.length ? `Applied: ${names.join(", ")}` : "Database is up to date."),
      });
      await database.close();
      return 0;
    }
    case "list":
      return withStore(logger, async (store, timeZone) => {
        const incidents = await store.listIncidents();
        if (incidents.length === 0) console.log("No incidents yet.");
        for (const i of incidents) {
          console.log(`#${i.number}\t${i.status}\t${i.severity.toUpperCase()}\t${formatInZone(i.declaredAt, timeZone, "yyyy-MM-dd HH:mm")}\t#${i.channelName}\t${i.title}`);
        }
        return 0;
      });
    case "report": {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { format: { type: "string", default: "markdown" } } });
      const number = Number(positionals[0]);
      if (!Number.isInteger(number) || !["markdown", "json"].includes(values.format ?? "")) {
        console.error("Usage: incident-bot report <number> [--format markdown|json]");
        return 2;
      }
      return withStore(logger, async (store, timeZone) => {
        const incident = await store.findIncidentByNumber(number);
        if (!incident) {
          console.error(`There is no incident #${number}. \`incident-bot list\` shows them.`);
          return 1;
        }
        const record = await store.loadRecord(incident.id);
        const report = compileReport(record, { timeZone, now: new Date() });
        console.log(values.format === "json" ? JSON.stringify({ report, record }, null, 2) : report.markdown);
        return 0;
      });
    }
    case "export": {
      const json = await withStore(logger, async (_store, _zone, prisma) => JSON.stringify(await exportAll(prisma)));
      if (rest[0]) await writeFile(rest[0], json);
      else process.stdout.write(`${json}\n`);
      return 0;
    }
    case "import": {
      if (!rest[0]) {
        console.error("Usage: incident-bot import <file>   (a file written by `incident-bot export`)");
        return 2;
      }
      const file = JSON.parse(await readFile(rest[0], "utf8")) as ExportFile;
      const counts = await withStore(logger, (_store, _zone, prisma) => importAll(prisma, file));
      console.log(`Imported: ${Object.entries(counts).map(([table, n]) => `${n} ${table}`).join(", ")}.`);
      return 0;
    }
    case undefined:
    case "help":
    case "--help":
      console.log(USAGE);
      return command ? 0 : 2;
    default:
      console.error(`Unknown command “${command}”.\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`incident-bot cannot start.\n${error.message}\nSee .env.example for every setting.`);
      process.exitCode = 78; // EX_CONFIG
    } else {
      console.error(error);
      // Exit now: a client still retrying in the background (Slack's, say) must not keep a
      // failed process alive.
      process.exit(1);
    }
  },
);
