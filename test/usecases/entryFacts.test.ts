// Typed timeline entries keep their facts in `data` and are worded when shown. The fixture is an
// export made by the code and schema from before (every kind of typed entry, as sentences), with
// the report that code compiled from it (test/fixtures/typed-entries). Imported now, its entries
// get the facts today's code writes, through the same SQL the data migration ran on existing
// rows, and the report reads exactly as it did.
import { readFile } from "node:fs/promises";
import { changeOf } from "../../src/incidents/entryFacts.js";
import { loadReport } from "../../src/incidents/report/review.js";
import type { Database } from "../../src/database/database.js";
import { importAll, type ExportFile } from "../../src/store/transfer.js";
import { useCaseWorld, type UseCaseWorld } from "../support/useCaseDeps.js";

const fixture = (name: string) => readFile(new URL(`../fixtures/typed-entries/${name}`, import.meta.url), "utf8");
const NOW = new Date("2025-08-12T16:09:00.000Z");
const MIGRATION = "20261207183000_typed_entry_facts";

let world: UseCaseWorld & { database: Database };
beforeAll(async () => {
  world = await useCaseWorld({
    names: { UALICE: "alice", UBOB: "bob", UCAROL: "carol", UDAVE: "dave" },
    now: () => NOW,
    stores: "database",
  });
});
afterAll(() => world?.close());

/** Each typed entry as kind, text and facts, ids made comparable, in a stable order. */
async function typedEntries(incidentId: string): Promise<string[]> {
  const entries = await world.deps.incidents.listEntries(incidentId);
  return entries
    .filter((entry) => changeOf(entry))
    .map((entry) => JSON.stringify(sortKeys({ kind: entry.kind, text: entry.text, data: entry.data })))
    .map((line) => line.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>"))
    .sort();
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, inner]) => [key, sortKeys(inner)]),
  );
}

describe("typed entries from before their facts were stored", () => {
  it("import with the facts today's code writes, and the report reads as it did", async () => {
    const before = JSON.parse(await fixture("export.json")) as ExportFile;
    const rows = before.tables.timelineEntries as { kind: string; text: string }[];
    const sentences = rows.filter((entry) => !["message", "log"].includes(entry.kind));
    expect(sentences.every((entry) => entry.text !== "")).toBe(true); // the fixture is of the old shape

    await importAll(world.database.prisma, before);
    const [incident] = await world.deps.incidents.listIncidents();
    const expected = (JSON.parse(await fixture("facts.json")) as unknown[]).map((facts) => JSON.stringify(sortKeys(facts))).sort();
    expect(await typedEntries(incident!.id)).toEqual(expected);

    const view = await loadReport(world.deps, incident!.id);
    expect(view.compiled.markdown).toBe(await fixture("report.md"));
  });

  it("are left alone when the migration runs again, as on an export made after it", async () => {
    const [incident] = await world.deps.incidents.listIncidents();
    const before = await typedEntries(incident!.id);
    const sql = await readFile(new URL(`../../prisma/migrations/${MIGRATION}/migration.sql`, import.meta.url), "utf8");
    expect(await world.database.prisma.$executeRawUnsafe(sql)).toBe(0);
    expect(await typedEntries(incident!.id)).toEqual(before);
    const applied = await world.database.prisma.$queryRaw<{ migration_name: string }[]>`SELECT migration_name FROM _prisma_migrations`;
    expect(applied.map((row) => row.migration_name)).toContain(MIGRATION);
  });
});
