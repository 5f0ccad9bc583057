// Checks of what is on this machine: PORT can be bound, DATA_DIR can be written, the time zone is
// one the bot can use, and the database answers with its migrations applied. Cheap ones run at
// start-up before anything slow; doctor runs them all.
import { constants } from "node:fs";
import { access, mkdir, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import path from "node:path";
import pg from "pg";
import type { Config, DatabaseConfig } from "../config/index.js";
import { runThroughBot } from "../cli/adminSocket.js";
import { currentOwner, describeOwner } from "../database/dataDirOwner.js";
import { openDatabase } from "../database/database.js";
import { pendingMigrations } from "../database/migrate.js";
import { isNewDataDir } from "../database/prepareInChild.js";
import { failed, passed, type Check } from "./check.js";

/** PORT can be listened on now (0 picks a free port, so it always can). */
export async function checkPort(port: number): Promise<Check> {
  const label = `PORT ${port}`;
  if (port === 0) return passed(label, "any free port will be used");
  const problem = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    const server = createServer();
    server.once("error", (error: NodeJS.ErrnoException) => resolve(error));
    server.listen(port, () => server.close(() => resolve(undefined)));
  });
  if (!problem) return passed(label, "free");
  if (problem.code === "EADDRINUSE")
    return failed(label, "is in use by another process (perhaps another incident-bot)", "stop that process, or set PORT to a free port");
  if (problem.code === "EACCES")
    return failed(label, "may not be opened by this user (ports below 1024 need privileges)", "set PORT to 1024 or above, e.g. 3000");
  return failed(label, `cannot be listened on (${problem.code ?? problem.message})`, "set PORT to a free port, e.g. 3000");
}

/** DATA_DIR exists (or can be made) and this user may create files in it. */
export async function checkDataDir(dataDir: string): Promise<Check> {
  const label = `DATA_DIR ${dataDir}`;
  const who = typeof process.getuid === "function" ? ` (user id ${process.getuid()})` : "";
  try {
    await mkdir(dataDir, { recursive: true });
    await access(dataDir, constants.W_OK | constants.X_OK);
    const probe = path.join(dataDir, `.write-check-${process.pid}`);
    await writeFile(probe, "");
    await rm(probe, { force: true });
    return passed(label, "writable");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return failed(
      label,
      `cannot be created or written by this process${who} (${code})`,
      "make it writable by this user (chown), or set DATA_DIR to a directory that is; " +
        "in the container, leave DATA_DIR unset so the /data volume is used",
    );
  }
}

export function checkTimeZone(config: Pick<Config, "timeZone">): Check {
  // TIMEZONE was validated with the rest of the configuration; say what it means now.
  const now = new Intl.DateTimeFormat("en-GB", {
    timeZone: config.timeZone,
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date());
  const detail = `${config.timeZone}: times are shown as ${now}`;
  return config.timeZone === "UTC"
    ? passed("TIMEZONE", `${detail} (the default; set TIMEZONE to the team's zone, e.g. Europe/London)`)
    : passed("TIMEZONE", detail);
}

const describeDatabaseError = (error: unknown) => {
  const e = error as { code?: string; message?: string };
  return `${e.code ? `${e.code}: ` : ""}${e.message ?? String(error)}`.split("\n")[0]!;
};

/**
 * The database answers and its migrations are applied. PostgreSQL: a connection of our own. The
 * embedded database: through the running bot when one holds it (never a second opener), else
 * opened under the same claim the CLI takes, without migrating.
 */
export async function checkDatabase(database: DatabaseConfig): Promise<Check> {
  if (database.kind === "postgres") {
    const url = new URL(database.url);
    const label = `DATABASE_URL (PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname})`;
    const client = new pg.Client({ connectionString: database.url, connectionTimeoutMillis: 5_000, query_timeout: 5_000 });
    try {
      await client.connect();
      const pending = await pendingMigrations(client);
      if (pending.length > 0)
        return failed(
          label,
          `connects; ${pending.length} migration(s) not applied (${pending.join(", ")})`,
          "run `npx incident-bot migrate` (the bot also applies them when it starts)",
          false,
        );
      return passed(label, "connects; migrations are current");
    } catch (error) {
      return failed(
        label,
        `cannot be used (${describeDatabaseError(error)})`,
        "check the host, port, user, password (percent-encoded) and database name in DATABASE_URL, and that the server accepts connections",
      );
    } finally {
      await client.end().catch(() => {});
    }
  }
  const label = `embedded database in ${database.dataDir}`;
  if (isNewDataDir(database.dataDir)) return passed(label, "not created yet: the bot creates and migrates it when it first starts");
  const owner = await currentOwner(database.dataDir);
  if (owner?.socket) {
    let out = "";
    let err = "";
    const code = await runThroughBot(
      owner.socket,
      { command: "migrate", positionals: [], values: {} },
      { out: (t) => void (out += t), err: (t) => void (err += t) },
    ).catch((error: Error) => {
      err = error.message;
      return 1;
    });
    if (code === 0) return passed(label, `held by ${describeOwner(owner)}, which answers; migrations are current`);
    return failed(label, `held by ${describeOwner(owner)}: ${err.trim() || out.trim()}`, "restart the bot so it applies its migrations");
  }
  if (owner) return failed(label, `in use by ${describeOwner(owner)}`, "run doctor again when it has finished", false);
  try {
    const opened = await openDatabase(database, { migrate: false, owner: "doctor" });
    try {
      const pending = await pendingMigrations(opened.sql);
      if (pending.length > 0)
        return failed(
          label,
          `opens; ${pending.length} migration(s) not applied (${pending.join(", ")})`,
          "run `npx incident-bot migrate` (the bot also applies them when it starts)",
          false,
        );
      return passed(label, "opens; migrations are current");
    } finally {
      await opened.close();
    }
  } catch (error) {
    return failed(
      label,
      `cannot be opened (${describeDatabaseError(error)})`,
      "check DATA_DIR; if the files are damaged, restore a backup (incident-bot import)",
    );
  }
}
