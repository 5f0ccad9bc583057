// Runs once per `npm test`: builds a migrated PGlite data directory that every test file clones,
// so no test pays for initdb (~3.5 s) and the migrations are exercised on every run. Jest loads
// this file outside its module mapping, so the work runs in a child process through tsx (an
// in-process tsx loader would keep Jest from exiting).
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";

export default function globalSetup() {
  if (process.env.DATABASE_URL) return;
  const file = path.join(tmpdir(), `incident-bot-template-${process.pid}.tar`);
  execFileSync(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "makePgliteTemplate.ts"), file], { stdio: "inherit" });
  process.env.INCIDENT_BOT_TEST_PGLITE_TEMPLATE = file;
}
