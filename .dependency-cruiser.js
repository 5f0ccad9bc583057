// The layers of src/ (CONTRIBUTING.md, "Architecture rules"), checked by `npm run lint` in CI:
// - the domain, src/incidents: imports nothing else of ours and no Slack, Prisma, Octokit or
//   database library. It says what it needs through ports (src/incidents/ports*).
// - the adapters: each implements ports for one outside system and knows no other adapter.
// - shared plumbing every layer may use: config, the logger, the HTTP server the adapters mount
//   routes on, background tasks, JSON parsing, the start-up check vocabulary.
// - the composition root: main.ts, the command line and the start-up checks (preflight), the only
//   code that wires adapters together; nothing below imports it.
// - the database lifecycle, src/database (claim, prepare, template, migrate): under the store.

/** One alternative per adapter folder: the `$1` in a rule's `to` refers to the adapter matched in `from`. */
const ADAPTERS = "^src/(slack|github|store|atlassianStatuspage|statusPage)/";
const COMPOSITION = "^src/(main\\.ts$|cli\\.ts$|cli/|preflight/)";

/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: "domain-imports-no-adapter",
      comment: "src/incidents is the domain: it imports only itself; adapters reach it through its ports.",
      severity: "error",
      from: { path: "^src/incidents/" },
      to: { path: "^src/", pathNot: "^src/incidents/" },
    },
    {
      name: "domain-uses-no-outside-system",
      comment: "The domain has no Slack, Prisma, Octokit or database library: those belong to the adapters.",
      severity: "error",
      from: { path: "^src/incidents/" },
      to: { path: "node_modules/(@slack|@prisma|prisma|@octokit|pg|@electric-sql|pglite-prisma-adapter)/" },
    },
    {
      name: "adapters-do-not-import-each-other",
      comment: "Each adapter talks to one outside system; what two adapters share goes through the domain's ports.",
      severity: "error",
      from: { path: ADAPTERS },
      to: { path: ADAPTERS, pathNot: "^src/$1/" },
    },
    {
      name: "only-the-root-wires",
      comment:
        "main.ts, the command line and the start-up checks wire everything; nothing else imports them. " +
        "preflight/check.ts, the vocabulary of a check, is shared.",
      severity: "error",
      from: { pathNot: COMPOSITION },
      to: { path: COMPOSITION, pathNot: "^src/preflight/check\\.ts$" },
    },
    {
      name: "shared-plumbing-imports-no-adapter",
      comment: "config, log, http, backgroundTasks and parseJson sit under every adapter, so they import none.",
      severity: "error",
      from: { path: "^src/(config/|http/|log\\.ts$|backgroundTasks\\.ts$|parseJson\\.ts$)" },
      to: { path: ADAPTERS },
    },
    {
      name: "database-lifecycle-under-the-store",
      comment:
        "src/database opens, claims, prepares and migrates the database: the store builds on it and the composition " +
        "root starts it; no other adapter and not the domain.",
      severity: "error",
      from: { pathNot: "^src/(store|database)/|" + COMPOSITION.slice(1) },
      to: { path: "^src/database/" },
    },
    {
      name: "prisma-only-in-the-store",
      comment: "Only src/store touches the generated Prisma client; everything else goes through the store ports.",
      severity: "error",
      from: { pathNot: "^src/(store|generated|database)/" },
      to: { path: "^src/generated/" },
    },
    {
      name: "no-circular",
      comment:
        "A cycle of imports makes load order matter; break it with a port or by moving the shared piece. " +
        "Cycles through type-only imports are erased at compile time and allowed.",
      severity: "error",
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules", "^src/generated/"] },
    // Type-only imports count too: a type from another adapter couples the two just the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      mainFields: ["module", "main", "types", "typings"],
    },
  },
};
