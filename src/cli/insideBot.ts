// The running bot's side of the admin socket (./adminSocket.ts): while this process owns the
// embedded database, the CLI's database commands run here, against the database it already has.
import type { Stores } from "../incidents/deps.js";
import type { Logger } from "../log.js";
import type { Database } from "../database/database.js";
import { serveAdminSocket } from "./adminSocket.js";
import { databaseCommands } from "./commands.js";

/** Serves the database commands in the claim directory and records the socket in the claim; undefined when the database is not a claimed embedded one. */
export async function serveCommandsInsideBot(options: {
  database: Database;
  stores: Stores;
  timeZone: string;
  logger: Logger;
}): Promise<{ close(): Promise<void> } | undefined> {
  const { database, stores, timeZone, logger } = options;
  if (!database.claim) return undefined;
  const context = { database, ...stores, timeZone, insideBot: true };
  const admin = await serveAdminSocket(
    database.claim.dir,
    async (request, io) => {
      const command = databaseCommands.find((c) => c.name === request.command);
      if (!command) return (io.err(`The running bot has no command “${request.command}”.\n`), 2);
      return command.run(context, request, io);
    },
    (error) => logger.error({ err: error }, "a command from the CLI failed"),
  );
  try {
    await database.claim.setSocket(admin.path);
  } catch (error) {
    await admin.close().catch(() => {});
    throw error;
  }
  return admin;
}
