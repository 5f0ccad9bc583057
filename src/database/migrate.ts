// Applies prisma/migrations with Prisma's schema engine compiled to WebAssembly, through the same
// driver adapter the app queries with. No native engine download is needed (Prisma's CLI would fetch
// one from its binary host at start-up, which many networks block),
// and `_prisma_migrations` is the table the Prisma CLI itself keeps, so `prisma migrate status`
// agrees with a database migrated here.
import "./wasmCompilation.js";
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const schemaPath = path.join(projectRoot, "prisma", "schema.prisma");
export const migrationsDir = path.join(projectRoot, "prisma", "migrations");

const noFilters = { externalTables: [], externalEnums: [] };

type EngineRuntime = typeof import("@prisma/schema-engine-wasm");
type WasmExports = Record<string, unknown>;
/** Node has WebAssembly; TypeScript only types it in the DOM library, so name the little we use. */
const { WebAssembly: Wasm } = globalThis as unknown as {
  WebAssembly: {
    Module: new (bytes: Uint8Array) => object;
    Instance: new (module: object, imports: Record<string, unknown>) => { exports: WasmExports };
  };
};
let runtime: Promise<EngineRuntime> | undefined;

/** The package is built for bundlers (it imports the .wasm file); Node needs it instantiated by hand. */
function loadRuntime(): Promise<EngineRuntime> {
  runtime ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@prisma/schema-engine-wasm"));
    const glue = (await import(path.join(dir, "schema_engine_bg.js"))) as EngineRuntime & {
      __wbg_set_wasm(exports: WasmExports): void;
    };
    const module = new Wasm.Module(await readFile(path.join(dir, "schema_engine_bg.wasm")));
    // The engine arms a 10 s timer for each query (a timeout it never clears). Unreferenced, such
    // a timer no longer keeps a finished `incident-bot migrate` (or a test run) alive for 10 s.
    const imports: Record<string, unknown> = { ...glue };
    for (const [name, fn] of Object.entries(glue)) {
      if (name.startsWith("__wbg_setTimeout_") && typeof fn === "function") {
        imports[name] = (...args: unknown[]) => {
          const timer = (fn as (...a: unknown[]) => { unref?: () => void } | undefined)(...args);
          timer?.unref?.();
          return timer;
        };
      }
    }
    const instance = new Wasm.Instance(module, { "./schema_engine_bg.js": imports });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return glue;
  })();
  return runtime;
}

export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  onLog: (message: string) => void = () => {},
): Promise<SchemaEngine> {
  const { SchemaEngine } = await loadRuntime();
  const datamodel = await readFile(schemaPath, "utf8");
  return SchemaEngine.new(
    { datamodels: [[schemaPath, datamodel]] },
    (message: string) => onLog(message),
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
}

export async function readMigrations(): Promise<MigrationList> {
  const names = await migrationNames();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: { path: "migration.sql", content: { tag: "ok" as const, value: await readFile(file, "utf8") } },
      };
    }),
  );
  const lockPath = path.join(migrationsDir, "migration_lock.toml");
  const lockContent = await readFile(lockPath, "utf8").catch(() => null);
  return {
    baseDir: migrationsDir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** The migrations in prisma/migrations, oldest first. */
export async function migrationNames(): Promise<string[]> {
  return (await readdir(migrationsDir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/**
 * Migrations not yet applied, read from Prisma's own `_prisma_migrations` table. Asking first
 * means a normal start never loads the schema engine (WebAssembly, tens of MB resident) just to
 * learn there is nothing to do.
 */
export async function pendingMigrations(sql: {
  query<Row>(text: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}): Promise<string[]> {
  const [{ exists } = { exists: false }] = (
    await sql.query<{ exists: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS "exists"`, [])
  ).rows;
  const applied = exists
    ? new Set(
        (
          await sql.query<{ name: string }>(
            `SELECT migration_name AS name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
            [],
          )
        ).rows.map((r) => r.name),
      )
    : new Set<string>();
  return (await migrationNames()).filter((name) => !applied.has(name));
}

/** What `prisma migrate deploy` does. Returns the names of the migrations it applied (none when up to date). */
export async function applyMigrations(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  onLog?: (message: string) => void,
): Promise<string[]> {
  const engine = await openSchemaEngine(adapterFactory, onLog);
  try {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: await readMigrations(),
      filters: noFilters,
    });
    return appliedMigrationNames;
  } finally {
    engine.free();
  }
}

/** SQL that takes a database from the migration history to the current schema ("" when they agree). */
export async function diffHistoryToSchema(adapterFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const engine = await openSchemaEngine(adapterFactory);
  try {
    const datamodel = await readFile(schemaPath, "utf8");
    const result = await engine.diff({
      from: { tag: "migrations", ...(await readMigrations()) },
      to: { tag: "schemaDatamodel", files: [{ path: schemaPath, content: datamodel }] },
      script: true,
      exitCode: null,
      filters: noFilters,
    });
    return (result as { stdout?: string }).stdout ?? "";
  } finally {
    engine.free();
  }
}
