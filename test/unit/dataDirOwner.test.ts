// The embedded database's one owner: a live claim refuses, a dead one is taken over, and a
// release never removes a claim that is not ours. (Across real processes: test/e2e/dataOwner.test.ts.)
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { claimDataDir, currentOwner, DataDirBusyError, OWNER_DIR } from "../../src/database/dataDirOwner.js";

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), "incident-bot-owner-unit-"));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

/** A claim written as another process on this host would write it. */
async function claimAs(pid: number, startedAt = new Date().toISOString()) {
  await mkdir(path.join(dataDir, OWNER_DIR), { mode: 0o700 });
  await writeFile(
    path.join(dataDir, OWNER_DIR, "owner.json"),
    JSON.stringify({ pid, host: hostname(), command: "start", startedAt, socket: null }),
  );
}

it("refuses while a live process holds the directory, naming it", async () => {
  await claimAs(process.ppid); // a process that is certainly alive
  await expect(claimDataDir(dataDir, "list", () => {})).rejects.toThrow(DataDirBusyError);
  await expect(claimDataDir(dataDir, "list", () => {})).rejects.toThrow(
    `is in use by the running bot (incident-bot start), process ${process.ppid}`,
  );
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
  const theirs = JSON.stringify({
    pid: process.ppid,
    host: hostname(),
    command: "start",
    startedAt: "2026-01-01T00:00:00.000Z",
    socket: null,
  });
  await writeFile(file, theirs);
  await claim.release();
  expect(await readFile(file, "utf8")).toBe(theirs);
});

describe("an owner that is shutting down", () => {
  /** A claim written as another live process on this host writes it once it began to stop. */
  const claimAsStopping = () =>
    claimAs(process.ppid).then(() =>
      writeFile(
        path.join(dataDir, OWNER_DIR, "owner.json"),
        JSON.stringify({ pid: process.ppid, host: hostname(), command: "start", startedAt: "now", socket: null, stoppingSince: "now" }),
      ),
    );

  /** The other process's release, as a release is done: moved aside at once, then removed. */
  const releaseTheirs = async () => {
    const aside = path.join(dataDir, `${OWNER_DIR}.released-test`);
    await rename(path.join(dataDir, OWNER_DIR), aside);
    await rm(aside, { recursive: true });
  };

  it("is waited for, and the directory claimed once it lets go", async () => {
    await claimAsStopping();
    const waitedFor: number[] = [];
    const claiming = claimDataDir(dataDir, "start", () => {}, { onWaitForStopping: (owner) => waitedFor.push(owner.pid) });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await releaseTheirs();
    const claim = await claiming;
    expect(waitedFor).toEqual([process.ppid]);
    expect(await currentOwner(dataDir)).toMatchObject({ pid: process.pid, command: "start" });
    await claim.release();
  });

  it("is refused once the wait is over, saying it is shutting down", async () => {
    await claimAsStopping();
    await expect(claimDataDir(dataDir, "start", () => {}, { waitForStoppingMs: 300 })).rejects.toThrow(
      new RegExp(`in use by the running bot \\(incident-bot start\\), process ${process.ppid} .*shutting down since`),
    );
  });

  it("within one process too: the claim marked stopping is waited for until it is released", async () => {
    const first = await claimDataDir(dataDir, "start", () => {});
    await expect(claimDataDir(dataDir, "start", () => {}, { waitForStoppingMs: 200 })).rejects.toThrow(DataDirBusyError); // live: refused
    await first.markStopping();
    const claiming = claimDataDir(dataDir, "start", () => {});
    setTimeout(() => void first.release(), 200);
    const second = await claiming;
    expect(await currentOwner(dataDir)).toMatchObject({ pid: process.pid });
    await second.release();
  });

  it("is waited for by currentOwner, so the CLI opens the directory itself once it is free", async () => {
    await claimAsStopping();
    setTimeout(() => void releaseTheirs(), 200);
    expect(await currentOwner(dataDir)).toBeNull();
  });
});
