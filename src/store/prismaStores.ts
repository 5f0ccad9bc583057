// The Prisma stores, built together: the bot's composition root (src/main.ts), the CLI and the
// test harness all take this one set.
import type { Stores } from "../incidents/deps.js";
import type { Database } from "../database/database.js";
import { PrismaActionItemStore } from "./prismaActionItemStore.js";
import { PrismaIncidentStore } from "./prismaIncidentStore.js";
import { PrismaPeopleStore } from "./prismaPeopleStore.js";
import { PrismaPickedMessageStore } from "./prismaPickedMessageStore.js";
import { PrismaReportStore } from "./prismaReportStore.js";
import { PrismaRequestLog } from "./prismaRequestLog.js";
import { PrismaUpdateStore } from "./prismaUpdateStore.js";

export function prismaStores(database: Pick<Database, "prisma" | "sql"> & Partial<Pick<Database, "kind">>): Stores {
  const actionItems = new PrismaActionItemStore(database);
  const reports = new PrismaReportStore(database);
  return {
    incidents: new PrismaIncidentStore(database, { actionItems, reports }),
    actionItems,
    reports,
    people: new PrismaPeopleStore(database),
    requests: new PrismaRequestLog(database),
    updates: new PrismaUpdateStore(database),
    picked: new PrismaPickedMessageStore(database),
  };
}
