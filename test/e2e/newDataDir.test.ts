// A new embedded data directory is unpacked from a template onto disk (src/database/tarArchive.ts)
// by the child process of src/database/prepareInChild.ts; PGlite then opens it as an existing directory.
// The build's template is initdb's result; the test suite's (globalSetup.ts) is migrated too, which
// is what lets this check the data came through.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { isNewDataDir } from "../../src/database/prepareInChild.js";
import { pendingMigrations } from "../../src/database/migrate.js";
import { readTar, writeTarEntries } from "../../src/database/tarArchive.js";
import { TEMPLATE_PATH_VARIABLE } from "../support/testDatabase.js";

const templatePath = process.env[TEMPLATE_PATH_VARIABLE];

(templatePath ? describe : describe.skip)("a data directory unpacked from a template", () => {
  it("opens as an existing directory holding the template's data", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "incident-bot-"));
    try {
      expect(isNewDataDir(dataDir)).toBe(true);
      await writeTarEntries(readTar(await readFile(templatePath!)), dataDir);
      expect(isNewDataDir(dataDir)).toBe(false);
      const pglite = await PGlite.create(dataDir);
      try {
        expect(await pendingMigrations(pglite)).toEqual([]);
      } finally {
        await pglite.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it("refuses an archive entry that would land outside the directory, before writing anything", () => {
    const header = Buffer.alloc(512);
    header.write("../escape", 0);
    header.write("0000644\0", 100);
    header.write("00000000000\0", 124);
    header.write("0", 156);
    header.write("        ", 148);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, "0")}\0 `, 148);
    expect(() => readTar(Buffer.concat([header, Buffer.alloc(1024)]))).toThrow("unsafe entry name");
  });
});
