// Writes the template a new embedded data directory is initialised from (see prepareInChild.ts):
// initdb's result, made once at build time by the PGlite version installed, instead of at each
// first start in the bot's container. Run by `npm run build`:
//
//   node dist/database/writePgliteTemplate.js
//
// It holds no migrations: a new directory gets those the way every directory does, at start.
import "./wasmCompilation.js";
import { writeFile } from "node:fs/promises";
import { PGlite } from "@electric-sql/pglite";
import { pgliteTemplatePath } from "./prepareInChild.js";

const pglite = await PGlite.create();
const dump = await pglite.dumpDataDir("gzip");
await pglite.close();
const file = pgliteTemplatePath();
await writeFile(file, Buffer.from(await dump.arrayBuffer()));
console.log(`wrote ${file}`);
