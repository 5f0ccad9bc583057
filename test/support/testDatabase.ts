// A fresh, migrated database for each test file: a clone of a migrated PGlite template (made once
// by globalSetup), or, when DATABASE_URL is set, a new database on that PostgreSQL server.
import { readFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import type { DatabaseConfig } from "../../src/config/index.js";

/** Set by globalSetup.ts. */
export const TEMPLATE_PATH_VARIABLE = "INCIDENT_BOT_TEST_PGLITE_TEMPLATE";

export interface TestDatabase {
  config: DatabaseConfig;
  /** Environment for a bot process (DATABASE_URL, or DATA_DIR for PGlite on disk). */
  pglite?: PGlite;
  dispose(): Promise<void>;
}

export const usingPostgres = () => Boolean(process.env.DATABASE_URL);

export async function createTestDatabase(): Promise<TestDatabase> {
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
  const templatePath = process.env[TEMPLATE_PATH_VARIABLE];
  if (!templatePath) throw new Error("globalSetup did not prepare the PGlite template");
  const pglite = await PGlite.create({ loadDataDir: new Blob([await readFile(templatePath)]) });
  return { config: { kind: "pglite", dataDir: "(in memory)" }, pglite, dispose: () => pglite.close() };
}
