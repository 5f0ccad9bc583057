// The store ports in memory, for use-case specs that run in milliseconds. They keep the contracts
// the Prisma stores keep (test/usecases/storeContract.test.ts runs the same checks against both),
// because a fake kinder than the real store would let a use case pass here and fail in production:
//  - keyed writes are idempotent: an entry, update or action item with a source key already stored
//    is stored once, and a handled request is handled once;
//  - conditional writes are conditional: a report's version, a draft published or discarded once,
//    an announcement replaced only if it is the one expected, an issue observation only if newer,
//    a lease only if free;
//  - reads come back in the order the SQL orders them (entries by time, then ts, then arrival;
//    updates by creation; action items by number), and as copies: changing what a read returned
//    changes nothing stored, as with rows read from a database;
//  - a column's precision is the database's: an action item's due date is a calendar day.
// What SQL does inside one statement (a transaction, a conditional UPDATE) is one synchronous step
// here, which is what JavaScript's single thread gives for free between awaits.
import type { Stores } from "../../src/incidents/deps.js";
import { MemoryActionItemStore } from "./memoryStores/actionItemStore.js";
import { MemoryIncidentStore } from "./memoryStores/incidentStore.js";
import {
  MemoryPeopleStore,
  MemoryPickedMessageStore,
  MemoryReportStore,
  MemoryRequestLog,
  MemoryUpdateStore,
} from "./memoryStores/otherStores.js";
import { MemoryTables } from "./memoryStores/tables.js";

export {
  MemoryActionItemStore,
  MemoryIncidentStore,
  MemoryPeopleStore,
  MemoryPickedMessageStore,
  MemoryReportStore,
  MemoryRequestLog,
  MemoryTables,
  MemoryUpdateStore,
};

/** The seven stores over one set of tables, as prismaStores builds them over one database. */
export function memoryStores(tables?: MemoryTables, now: () => Date = () => new Date()): Stores & { tables: MemoryTables } {
  tables ??= new MemoryTables(now);
  const actionItems = new MemoryActionItemStore(tables);
  const reports = new MemoryReportStore(tables);
  return {
    tables,
    incidents: new MemoryIncidentStore(tables, { actionItems, reports }),
    actionItems,
    reports,
    people: new MemoryPeopleStore(tables),
    requests: new MemoryRequestLog(tables),
    updates: new MemoryUpdateStore(tables),
    picked: new MemoryPickedMessageStore(tables),
  };
}
