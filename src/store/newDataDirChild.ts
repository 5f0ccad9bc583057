// The child process of newDataDir.ts: initialises a new embedded data directory (the build's
// template unpacked onto disk when there is one, else PGlite's initdb), applies the migrations when asked, closes it and
// exits, handing back the memory that took. Its parent holds the directory's claim throughout.
//
//   node dist/store/newDataDirChild.js <dataDir> migrate|initialise
//
// Output: one JSON line on stdout ({"migrated": [...]}) on success; {"error": "..."} on stderr and
// exit code 1 on failure.
import "./wasmCompilation.js";
import { existsSync, readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations, pendingMigrations } from "./migrate.js";
import { EMBEDDED_SETTINGS, isNewDataDir, pgliteTemplatePath } from "./newDataDir.js";
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

const [dataDir, mode] = process.argv.slice(2);
if (!dataDir || (mode !== "migrate" && mode !== "initialise")) {
  process.stderr.write(`${JSON.stringify({ error: "usage: newDataDirChild <dataDir> migrate|initialise" })}\n`);
  process.exit(2);
}
prepare(dataDir, mode === "migrate").then(
  (migrated) => process.stdout.write(`${JSON.stringify({ migrated })}\n`),
  (error: unknown) => {
    process.stderr.write(`${JSON.stringify({ error: error instanceof Error ? error.message : String(error) })}\n`);
    process.exit(1);
  },
);
