// Opens the database the configuration names: embedded PGlite (a data directory on disk, no
// server) or PostgreSQL. Both are reached through a Prisma driver adapter, so the app, the
// migrations and the tests run one code path on either.
import "./wasmCompilation.js";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DatabaseConfig } from "../config/index.js";
import { PrismaClient } from "../generated/prisma/client.js";
import { claimDataDir, type DataDirClaim, type OwnerInfo } from "./dataDirOwner.js";
import { applyMigrations, pendingMigrations } from "./migrate.js";
import { EMBEDDED_SETTINGS, isNewDataDir, migratePostgresInChild, prepareNewDataDir } from "./prepareInChild.js";
import { withQueryCompilerLoader } from "./queryCompiler.js";

const PING_TIMEOUT_MS = 2_000;

/**
 * The driver under Prisma (PGlite or the pg pool; both have this method). Only the group commit
 * of timeline entries uses it: one statement per batch through Prisma's client cost more CPU than
 * the rest of a request (see entryBatcher.ts). Everything else goes through Prisma.
 */
export interface SqlClient {
  query<Row>(text: string, params: unknown[]): Promise<{ rows: Row[] }>;
}

export interface Database {
  prisma: PrismaClient;
  sql: SqlClient;
  kind: DatabaseConfig["kind"];
  /** The embedded database's claim on its data directory (absent for PostgreSQL and handed-in instances). */
  claim?: DataDirClaim;
  /** Migrations applied when it was opened (none when it was up to date). */
  migrated: string[];
  /** A short description for logs, never containing a password. */
  description: string;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Apply pending migrations first (the default); the names applied go to `onMigrated`. */
  migrate?: boolean;
  onMigrated?: (names: string[]) => void;
  /** An already-open PGlite (tests clone a migrated template); the caller keeps ownership. */
  pglite?: PGlite;
  /** PostgreSQL: how long a query may go unanswered (default 5 s; bulk imports want longer). */
  queryTimeoutMs?: number;
  /** A pooled PostgreSQL connection failed while idle (the server restarted, say). */
  onPoolError?: (error: Error) => void;
  /** Embedded database: what is opening it ("start", or a CLI command), recorded in its claim. */
  owner?: string;
  /** Embedded database: called if another process ever takes the data directory over. */
  onClaimLost?: (reason: string) => void;
  /** Embedded database: called when it is held by a bot that is shutting down, which is waited for. */
  onWaitForStoppingOwner?: (owner: OwnerInfo) => void;
}

function describe(config: DatabaseConfig): string {
  if (config.kind === "pglite") return `embedded PGlite in ${config.dataDir}`;
  const url = new URL(config.url);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  let adapter: SqlMigrationAwareDriverAdapterFactory;
  let migrate: () => Promise<string[]>;
  let closeDriver: () => Promise<void>;
  let sql: SqlClient;
  let claim: DataDirClaim | undefined;
  /** Migrations the child that prepared a new data directory applied. */
  let preparedMigrations: string[] = [];
  if (config.kind === "pglite") {
    let pglite = options.pglite;
    if (!pglite) {
      // Claimed before PostgreSQL starts on the files; a second process is refused here.
      claim = await claimDataDir(config.dataDir, options.owner ?? "start", options.onClaimLost ?? (() => {}), {
        onWaitForStopping: options.onWaitForStoppingOwner,
      });
      try {
        // A new directory is initialised (and migrated) by a child process under this claim, so
        // initdb's memory is not this process's for the rest of its life (prepareInChild.ts).
        if (isNewDataDir(config.dataDir)) preparedMigrations = await prepareNewDataDir(config.dataDir, options.migrate !== false);
        const { PGlite } = await import("@electric-sql/pglite");
        pglite = await PGlite.create(config.dataDir, { postgresqlconf: EMBEDDED_SETTINGS });
      } catch (error) {
        await claim.release();
        throw error;
      }
      const owned = pglite;
      const ownedClaim = claim;
      closeDriver = async () => {
        await owned.close();
        await ownedClaim.release();
      };
    } else {
      closeDriver = async () => {};
    }
    // PGlite has one session: its query() waits for any transaction in progress, so a statement
    // sent here never lands inside a Prisma transaction.
    sql = pglite;
    // Loaded here, not at the top: a bot on PostgreSQL never needs PGlite's code (idle memory, issue 22).
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    const pgliteAdapter = new PrismaPGlite(pglite);
    adapter = pgliteAdapter;
    migrate = async () => [
      ...preparedMigrations,
      ...((await pendingMigrations(sql)).length > 0 ? await applyMigrations(pgliteAdapter) : []),
    ];
  } else {
    // The pool is ours so shutdown can end it. A query that gets no answer fails after
    // `queryTimeoutMs` instead of hanging the request (and Slack redelivers the event); an idle
    // client dropped by a server restart is reported instead of crashing the process.
    const pool = new pg.Pool({
      connectionString: config.url,
      connectionTimeoutMillis: 5_000,
      query_timeout: options.queryTimeoutMs ?? 5_000,
      keepAlive: true,
      max: 10,
    });
    pool.on("error", (error) => options.onPoolError?.(error));
    adapter = new PrismaPg(pool);
    sql = pool;
    closeDriver = () => pool.end();
    // Pending migrations are applied by a child process (prepareInChild.ts), so the schema engine
    // is never loaded here, on a connection of its own, closed when it exits: the schema engine takes
    // a session advisory lock and leaves its release to the session's end. On a pooled connection
    // that session would live on, and the next replica to start would wait for the lock.
    migrate = async () => ((await pendingMigrations(pool)).length === 0 ? [] : migratePostgresInChild(config.url));
  }
  // "minimal", as Prisma chooses under NODE_ENV=production (the image), whatever NODE_ENV says:
  // otherwise Prisma captures a stack trace on every query to point at its caller in an error.
  // The query compiler is loaded so that its source text does not stay resident (queryCompiler.ts).
  const prisma = new PrismaClient(withQueryCompilerLoader({ adapter, errorFormat: "minimal" as const }));
  let migrated: string[] = [];
  try {
    // Not `onMigrated?.(await migrate())`: an optional call skips its arguments, so with no
    // callback nothing was migrated (a new PostgreSQL database stayed empty).
    if (options.migrate !== false) {
      migrated = await migrate();
      options.onMigrated?.(migrated);
    }
    // The first query loads Prisma's query compiler (a few hundred ms); pay that before the bot
    // says it is listening, so "started" also means "healthy".
    await prisma.$queryRaw`SELECT 1`;
  } catch (error) {
    await prisma.$disconnect().catch(() => {});
    await closeDriver().catch(() => {});
    throw error;
  }
  return {
    prisma,
    sql,
    kind: config.kind,
    claim,
    migrated,
    description: options.pglite ? "embedded PGlite (an instance handed in)" : describe(config),
    async ping() {
      // A database that stops answering must not hang the health check with it.
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS)));
      try {
        return await Promise.race([prisma.$queryRaw`SELECT 1`.then(() => true), timeout]);
      } catch {
        return false;
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await prisma.$disconnect();
      await closeDriver();
    },
  };
}
