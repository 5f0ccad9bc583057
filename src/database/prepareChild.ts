// The child process of prepareInChild.ts: initialises a new embedded data directory (the build's
// template unpacked onto disk when there is one, else PGlite's initdb) and applies the migrations
// when asked, or applies a PostgreSQL database's pending migrations; then exits, handing back the
// memory that took. For a data directory, its parent holds the directory's claim throughout.
//
//   node dist/database/prepareChild.js pglite <dataDir> migrate|initialise
//   INCIDENT_BOT_MIGRATE_DATABASE_URL=postgresql://... node dist/database/prepareChild.js postgres
//
// Output: one JSON line on stdout ({"migrated": [...]}) on success; {"error": "..."} on stderr and
// exit code 1 on failure.
import "./wasmCompilation.js";
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations, pendingMigrations } from "./migrate.js";
import { DATABASE_URL_VARIABLE, EMBEDDED_SETTINGS, isNewDataDir, pgliteTemplatePath } from "./prepareInChild.js";
import { readTar, writeTarEntries } from "./tarArchive.js";

async function prepare(dataDir: string, migrate: boolean): Promise<string[]> {
  const template = pgliteTemplatePath();
  if (isNewDataDir(dataDir) && existsSync(template)) {
    // Every header is read before anything is written: an archive this reader cannot handle
    // leaves the directory new, and PGlite then runs initdb.
    const entries = (() => {
      try {
        return readTar(gunzipSync(readFileSync(template)));
      } catch {
        return null;
      }
    })();
    if (entries) await writeTarEntries(entries, dataDir);
  }
  const pglite = await PGlite.create(dataDir, { postgresqlconf: EMBEDDED_SETTINGS });
  try {
    if (!migrate || (await pendingMigrations(pglite)).length === 0) return [];
    return await applyMigrations(new PrismaPGlite(pglite));
  } finally {
    await pglite.close();
  }
}

/** One connection of its own, ended at exit: the schema engine's advisory lock goes with it. */
async function migratePostgres(url: string): Promise<string[]> {
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 5_000, max: 1 });
  try {
    return (await pendingMigrations(pool)).length === 0 ? [] : await applyMigrations(new PrismaPg(pool));
  } finally {
    await pool.end();
  }
}

function run(args: string[]): Promise<string[]> | null {
  const [kind, dataDir, mode] = args;
  if (kind === "pglite" && dataDir && (mode === "migrate" || mode === "initialise")) return prepare(dataDir, mode === "migrate");
  const url = process.env[DATABASE_URL_VARIABLE];
  if (kind === "postgres" && url) return migratePostgres(url);
  return null;
}

// The parent holds the directory's claim only while it lives: if it dies (kill -9), stop at once
// rather than go on writing under a claim the next process will clear as stale. The channel
// does not keep this process alive by itself.
process.on("disconnect", () => process.exit(70));
process.channel?.unref();

const work = run(process.argv.slice(2));
if (!work) {
  process.stderr.write(
    `${JSON.stringify({ error: `usage: prepareChild pglite <dataDir> migrate|initialise, or ${DATABASE_URL_VARIABLE}=... prepareChild postgres` })}\n`,
  );
  process.exit(2);
}
work.then(
  (migrated) => process.stdout.write(`${JSON.stringify({ migrated })}\n`),
  (error: unknown) => {
    process.stderr.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
    process.exit(1);
  },
);
