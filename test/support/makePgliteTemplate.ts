// Writes a migrated PGlite data directory (a tarball) to the path given; see globalSetup.ts.
import { writeFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations } from "../../src/database/migrate.js";

const file = process.argv[2];
if (!file) throw new Error("usage: makePgliteTemplate.ts <output.tar>");
const db = await PGlite.create();
await applyMigrations(new PrismaPGlite(db));
const dump = await db.dumpDataDir("none");
await writeFile(file, Buffer.from(await dump.arrayBuffer()));
await db.close();
