// The embedded database's one owner: a live claim refuses, a dead one is taken over, and a
// release never removes a claim that is not ours. (Across real processes: test/e2e/dataOwner.test.ts.)
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { claimDataDir, currentOwner, DataDirBusyError, OWNER_DIR } from "../../src/store/dataDirOwner.js";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "incident-bot-owner-unit-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

/** A claim written as another process on this host would write it. */
async function claimAs(pid: number, startedAt = new Date().toISOString()) {
  await mkdir(path.join(dataDir, OWNER_DIR), { mode: 0o700 });
  await writeFile(path.join(dataDir, OWNER_DIR, "owner.json"), JSON.stringify({ pid, host: hostname(), command: "start", startedAt, socket: null }));
}

it("refuses while a live process holds the directory, naming it", async () => {
  await claimAs(process.ppid); // a process that is certainly alive
  await expect(claimDataDir(dataDir, "list", () => {})).rejects.toThrow(DataDirBusyError);
  await expect(claimDataDir(dataDir, "list", () => {})).rejects.toThrow(`is in use by the running bot (incident-bot start), process ${process.ppid}`);
});

it("takes over the claim of a process that died, and gives it up on release", async () => {
  await claimAs(2 ** 22 + 12345); // above Linux's pid_max: no such process
  const claim = await claimDataDir(dataDir, "export", () => {});
  expect(await currentOwner(dataDir)).toMatchObject({ pid: process.pid, command: "export" });
  await claim.release();
  expect(await currentOwner(dataDir)).toBeNull();
});

it("refuses a second claim within one process", async () => {
  const claim = await claimDataDir(dataDir, "start", () => {});
  await expect(claimDataDir(dataDir, "start", () => {})).rejects.toThrow(DataDirBusyError);
  await claim.release();
});

it("does not remove another process's claim when releasing after a takeover", async () => {
  const claim = await claimDataDir(dataDir, "start", () => {});
  const file = path.join(dataDir, OWNER_DIR, "owner.json");
  const theirs = JSON.stringify({ pid: process.ppid, host: hostname(), command: "start", startedAt: "2026-01-01T00:00:00.000Z", socket: null });
  await writeFile(file, theirs);
  await claim.release();
  expect(await readFile(file, "utf8")).toBe(theirs);
});
