// Work that needs a lot of memory once, done in a short-lived child process the bot waits for:
// the memory goes back to the system when the child exits instead of staying the bot's.
//
// - A new embedded data directory. PostgreSQL's initdb inside PGlite grows PGlite's WebAssembly
//   memory to about 650 MB, and WebAssembly memory never shrinks. Done in the bot's own process, a
//   first start left it at 320 MiB idle (740 MiB at the peak), where reopening the same directory
//   costs 210 MiB. And the child does not run initdb at all when the build left a template beside
//   this module: `npm run build` writes one (initdb's result, made by this PGlite version, see
//   writePgliteTemplate.ts), which the child unpacks onto disk (tarArchive.ts). Without a template
//   (tests run from src/, or a build that could not write one) the child runs initdb.
// - Pending migrations, on a new data directory or a PostgreSQL database: the schema engine that
//   applies them is WebAssembly too (8-25 MiB that would otherwise stay for the process's life).
//
// Ownership of a data directory: the caller has claimed it (dataDirOwner.ts) before the child
// starts and keeps the claim while the child runs; the child works under that claim and touches
// nothing of it. Nothing else may open the directory meanwhile: the claim refuses other processes,
// and the caller opens it only after the child has exited.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * PostgreSQL's defaults size its buffers for a server of its own (shared_buffers 128 MB). Inside the
 * bot's process that memory is the bot's: measured reopening a data directory, 354 MiB resident
 * with the defaults and 243 MiB with these. An incident record is small, and the operating system
 * caches the data files anyway.
 */
export const EMBEDDED_SETTINGS = [
  "shared_buffers=16MB",
  "work_mem=2MB",
  "maintenance_work_mem=16MB",
  "wal_buffers=1MB",
  "temp_buffers=2MB",
];

const here = fileURLToPath(import.meta.url);
/** This module's directory and extension: dist/database/*.js when built, src/database/*.ts under tsx or jest. */
const extension = path.extname(here);

/** True when PostgreSQL has never been initialised in `dataDir` (PGlite looks for the same file). */
export function isNewDataDir(dataDir: string): boolean {
  return !existsSync(path.join(dataDir, "PG_VERSION"));
}

/** The template `npm run build` writes, named for the PGlite version that made it. */
export function pgliteTemplatePath(): string {
  const manifest = new URL("../package.json", import.meta.resolve("@electric-sql/pglite"));
  const { version } = JSON.parse(readFileSync(manifest, "utf8")) as { version: string };
  return path.join(path.dirname(here), `pglite-${version}.tar.gz`);
}

export class ChildPreparationError extends Error {}

/**
 * Initialises `dataDir` (and applies the migrations when `migrate`) in a child process; resolves
 * with the names of the migrations applied. The caller must hold the directory's claim.
 */
export function prepareNewDataDir(dataDir: string, migrate: boolean): Promise<string[]> {
  return runChild(
    ["pglite", path.resolve(dataDir), migrate ? "migrate" : "initialise"],
    {},
    `Could not initialise the embedded database in ${dataDir}`,
  );
}

/** Applies the pending migrations to a PostgreSQL database in a child process; the names applied. */
export function migratePostgresInChild(url: string): Promise<string[]> {
  // The URL may hold a password: passed in the environment, which other users cannot read, not
  // on the command line, which they can.
  return runChild(["postgres"], { [DATABASE_URL_VARIABLE]: url }, "Could not migrate the database");
}

export const DATABASE_URL_VARIABLE = "INCIDENT_BOT_MIGRATE_DATABASE_URL";

async function runChild(args: string[], env: Record<string, string>, failure: string): Promise<string[]> {
  const child = spawn(
    process.execPath,
    [...(extension === ".ts" ? ["--import", "tsx"] : []), path.join(path.dirname(here), `prepareChild${extension}`), ...args],
    {
      // The IPC channel is only the child's lifeline: it stops when this process dies (kill -9), so it
      // never works on a directory whose claim the next process may clear as stale.
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: { ...process.env, ...env },
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (exitCode, signal) => resolve(signal ? null : exitCode));
  });
  if (code !== 0) {
    // The child reports a failure as one JSON line on stderr; anything else (a crash) is shown as is.
    const reported = stderr
      .split("\n")
      .map((line) => {
        try {
          return (JSON.parse(line) as { error?: string }).error;
        } catch {
          return undefined;
        }
      })
      .find(Boolean);
    throw new ChildPreparationError(
      `${failure}: ${reported ?? (stderr.trim() || `the process doing it exited with ${code ?? "a signal"}`)}`,
    );
  }
  return (JSON.parse(stdout) as { migrated: string[] }).migrated;
}
