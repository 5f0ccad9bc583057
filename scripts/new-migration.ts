// Authors a migration offline: the SQL between the migration history and prisma/schema.prisma,
// computed by the WebAssembly schema engine against a throw-away in-memory PGlite (its shadow
// database), so neither a database server nor the native engine is needed.
//   npm run migration:new -- <name>
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { diffHistoryToSchema, migrationsDir } from "../src/database/migrate.js";

const name = process.argv[2]?.replace(/[^a-z0-9_]+/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run migration:new -- <name>   (e.g. add_report_reminders)");
  process.exit(2);
}
const db = new PGlite();
try {
  const sql = await diffHistoryToSchema(new PrismaPGlite(db));
  if (!sql.trim() || /^-- This is an empty migration/.test(sql.trim())) {
    console.log("The schema and the migration history agree: nothing to write.");
  } else {
    const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
    const dir = path.join(migrationsDir, `${stamp}_${name}`);
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "migration.sql"), sql);
    console.log(`Wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  }
} finally {
  await db.close();
}
