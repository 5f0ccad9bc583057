// A fresh, migrated database for each test file: a clone of a migrated PGlite template (made once
// by globalSetup), or, when DATABASE_URL is set, a new database on that PostgreSQL server.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { DatabaseConfig } from "../../src/config/index.js";
import { readTar, writeTarEntries } from "../../src/database/tarArchive.js";

/** Set by globalSetup.ts. */
export const TEMPLATE_PATH_VARIABLE = "INCIDENT_BOT_TEST_PGLITE_TEMPLATE";

export interface TestDatabase {
  config: DatabaseConfig;
  /** An open, migrated in-memory PGlite the bot is handed (absent for PostgreSQL and PGlite on disk). */
  pglite?: PGlite;
  dispose(): Promise<void>;
}

export const usingPostgres = () => Boolean(process.env.DATABASE_URL);

/**
 * `onDisk`: for PGlite, a data directory on disk that the bot opens itself (and that another
 * process, such as the CLI, can open after the bot stops); PostgreSQL is always a server.
 *
 * `migrated` (with `onDisk`): the directory is not left new but unpacked from the suite's migrated
 * template, as a bot that has started once leaves it, with the production unpacker (tarArchive.ts).
 * A bot's first start on a new directory prepares it in a child process (from src/ there is no
 * build template: initdb, then the migrations), about 3-4 s; a test about something else need not
 * pay it. That first start stays covered by newDataDir.test.ts, foundation's start on a fresh
 * embedded database, and the CLI's import into a new directory (cli.test.ts).
 */
export async function createTestDatabase(options: { onDisk?: boolean; migrated?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const name = `incident_bot_test_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return {
      config: { kind: "postgres", url: url.toString() },
      async dispose() {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.end();
      },
    };
  }
  if (options.onDisk) {
    const dataDir = await mkdtemp(path.join(tmpdir(), "incident-bot-test-"));
    if (options.migrated) await writeTarEntries(readTar(await readFile(templatePath())), dataDir);
    return { config: { kind: "pglite", dataDir }, dispose: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const pglite = spare.pop() ?? (await cloneTemplate());
  let disposed = false;
  return {
    config: { kind: "pglite", dataDir: "(in memory)" },
    pglite,
    async dispose() {
      if (disposed) return;
      disposed = true;
      await putBack(pglite);
    },
  };
}

// Cloning the template costs about 1.3 s of CPU (PGlite's WebAssembly instance and startup), which
// over ~150 bots was most of the end-to-end layer's time. A disposed in-memory database is
// instead emptied and kept for the test file's next one: TRUNCATE ... RESTART IDENTITY leaves it
// as the template made it (empty tables, numbering from 1, the same migrations), so the next bot
// still starts on a fresh, migrated database. One whose schema a test changed (a table renamed to
// fake an outage, a migration rolled back) is not the template's any more and is closed instead:
// its fingerprint is checked on the way back. Jest gives each test file its own module registry,
// so what is kept never crosses files.

/** In-memory databases emptied and ready, for this test file's next createTestDatabase. */
const spare: PGlite[] = [];
/** Set once this file's spares are closed: a database given back after that is closed, not kept. */
let fileDone = false;
// Closed when the file's tests are done: an open instance would keep Jest's process from exiting.
// This hook is registered when the module loads, before the test file's own afterAll hooks, and
// those may still give a database back (world.close()), which fileDone then closes.
if (typeof afterAll === "function")
  afterAll(async () => {
    fileDone = true;
    await Promise.all(spare.splice(0).map((pglite) => pglite.close().catch(() => {})));
  });
/** The template's schema, as fingerprint() reads it; null until the first clone is read. */
let templateFingerprint: string | null = null;

function templatePath(): string {
  const file = process.env[TEMPLATE_PATH_VARIABLE];
  if (!file) throw new Error("globalSetup did not prepare the PGlite template");
  return file;
}

async function cloneTemplate(): Promise<PGlite> {
  const pglite = await PGlite.create({ loadDataDir: new Blob([await readFile(templatePath())]) });
  templateFingerprint ??= await fingerprint(pglite);
  return pglite;
}

/** Everything of the schema a test could change: schemas, columns, constraints, indexes, applied migrations. */
async function fingerprint(pglite: PGlite): Promise<string> {
  const { rows } = await pglite.query<{ part: string | null }>(`
    SELECT (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace) AS part
    UNION ALL SELECT string_agg(concat_ws(':', table_name, column_name, data_type, column_default, is_nullable), ',' ORDER BY table_name, column_name)
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL SELECT string_agg(conname || ':' || pg_get_constraintdef(oid), ',' ORDER BY conname)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT string_agg(indexdef, ',' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT string_agg(concat_ws(':', migration_name, finished_at IS NULL, rolled_back_at IS NULL), ',' ORDER BY migration_name)
      FROM _prisma_migrations`);
  return rows.map((row) => row.part ?? "").join("\n");
}

async function putBack(pglite: PGlite): Promise<void> {
  try {
    if (!fileDone && templateFingerprint !== null && (await fingerprint(pglite)) === templateFingerprint) {
      const { rows } = await pglite.query<{ name: string }>(
        `SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
      );
      await pglite.exec(`TRUNCATE ${rows.map((row) => row.name).join(", ")} RESTART IDENTITY CASCADE`);
      spare.push(pglite);
      return;
    }
  } catch {
    // Not in a state to reuse (closed, or mid-transaction): closed below like any other.
  }
  await pglite.close().catch(() => {});
}
