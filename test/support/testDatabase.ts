// A fresh, migrated database for each test file: a clone of a migrated PGlite template (made once
// by globalSetup), or, when DATABASE_URL is set, a new database on that PostgreSQL server.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { DatabaseConfig } from "../../src/config/index.js";

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
 */
export async function createTestDatabase(options: { onDisk?: boolean } = {}): Promise<TestDatabase> {
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
    return { config: { kind: "pglite", dataDir }, dispose: () => rm(dataDir, { recursive: true, force: true }) };
  }
  const templatePath = process.env[TEMPLATE_PATH_VARIABLE];
  if (!templatePath) throw new Error("globalSetup did not prepare the PGlite template");
  const pglite = await PGlite.create({ loadDataDir: new Blob([await readFile(templatePath)]) });
  return { config: { kind: "pglite", dataDir: "(in memory)" }, pglite, dispose: () => pglite.close() };
}
