// Used by the Prisma CLI (generate). Migrations are applied by src/database/migrate.ts through the
// WebAssembly schema engine, so no native engine is ever needed.
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
