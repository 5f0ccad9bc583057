// One owner for the embedded database. PGlite is a whole PostgreSQL inside one process, with no
// lock of its own on its data directory: a second process that opens the same directory runs a
// second PostgreSQL on the same files, and acknowledged writes are lost (seen: "invalid checkpoint
// record" after a crash). So whoever opens the directory first claims it, and everyone else either
// goes through the owner (the CLI talks to a running bot over its admin socket) or is refused.
//
// The recipe:
//  1. Claim: `mkdir <dataDir>/.owner` (atomic: exactly one process succeeds), then write
//     `owner.json` inside it: pid, host, command, start time, admin socket.
//  2. Keep it: the owner touches `owner.json` every HEARTBEAT_MS and checks it still names itself.
//  3. Someone else's claim is live while its process runs: on this host, its pid answers
//     `kill(pid, 0)`; from another host (a container sharing the volume), its heartbeat is recent.
//     A dead claim (kill -9, power loss) is moved aside and the claim is tried again.
//  4. Release: on a clean stop the owner removes the directory. When it begins to stop, it first
//     marks its claim `stoppingSince`: closing takes a moment (requests in flight, the database),
//     and a process that finds such a claim waits for it to go (at most STOPPING_WAIT_MS) instead
//     of being refused. `npm start` right after Ctrl-C hits exactly that: npm exits at once, the
//     bot a second later. A claim not marked stopping is refused at once, as before.
// The directory is created 0700, so only the owner's user can reach the admin socket inside it.
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import path from "node:path";

export const OWNER_DIR = ".owner";
const OWNER_FILE = "owner.json";
const HEARTBEAT_MS = 2_000;
/** A claim from another host counts as dead when its heartbeat is older than this. */
const STALE_AFTER_MS = 15_000;
/**
 * How long a claim marked stopping is waited for. The bot's own shutdown gives requests in flight
 * at most 10 s (src/http/server.ts) and usually takes about a second.
 */
export const STOPPING_WAIT_MS = 10_000;
const STOPPING_POLL_MS = 100;

export interface OwnerInfo {
  pid: number;
  host: string;
  /** What holds it: "start" for the bot, or the CLI command. */
  command: string;
  startedAt: string;
  /** The running bot's admin socket, for the CLI to go through. */
  socket: string | null;
  /** Set when the owner began to shut down: the claim is about to go, so it is waited for. */
  stoppingSince?: string;
}

export interface ClaimOptions {
  /** How long to wait for a claim marked stopping (default STOPPING_WAIT_MS). */
  waitForStoppingMs?: number;
  /** Called once when the claim is held by an owner that is shutting down, before waiting for it. */
  onWaitForStopping?: (owner: OwnerInfo) => void;
}

export interface DataDirClaim {
  readonly dataDir: string;
  readonly dir: string;
  readonly info: OwnerInfo;
  /** Records the admin socket once the bot listens on it. */
  setSocket(socket: string): Promise<void>;
  /** Marks the claim as about to go, so a process starting now waits for it instead of being refused. */
  markStopping(): Promise<void>;
  release(): Promise<void>;
}

/** Claims this process holds, by directory. */
const claimedHere = new Map<string, OwnerInfo>();

export class DataDirBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly owner: OwnerInfo,
  ) {
    super(`The embedded database in ${dataDir} is in use by ${describeOwner(owner)}.`);
    this.name = "DataDirBusyError";
  }
}

export function describeOwner(owner: OwnerInfo): string {
  const what = owner.command === "start" ? "the running bot (incident-bot start)" : `incident-bot ${owner.command}`;
  const stopping = owner.stoppingSince ? `, shutting down since ${owner.stoppingSince} (it did not finish in time)` : "";
  return `${what}, process ${owner.pid} on ${owner.host}, since ${owner.startedAt}${stopping}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What to do about a claim someone holds: a claim marked stopping is waited for (a short pause,
 * then the caller looks again) until `deadline`; any other claim, or one still there at the
 * deadline, is refused.
 */
function waitingFor(dataDir: string, options: ClaimOptions) {
  const deadline = Date.now() + (options.waitForStoppingMs ?? STOPPING_WAIT_MS);
  let told = false;
  return async (owner: OwnerInfo) => {
    if (!owner.stoppingSince || Date.now() >= deadline) throw new DataDirBusyError(dataDir, owner);
    if (!told) options.onWaitForStopping?.(owner);
    told = true;
    await sleep(STOPPING_POLL_MS);
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; it is still alive.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readOwner(dir: string): Promise<{ info: OwnerInfo; heartbeatAt: number } | null> {
  try {
    const file = path.join(dir, OWNER_FILE);
    const [text, stats] = await Promise.all([readFile(file, "utf8"), stat(file)]);
    return { info: JSON.parse(text) as OwnerInfo, heartbeatAt: stats.mtimeMs };
  } catch {
    return null; // being written, or being removed
  }
}

async function isLive(dir: string, now: number): Promise<OwnerInfo | null> {
  const owner = await readOwner(dir);
  if (!owner) {
    // The claimant may be between mkdir and writing owner.json: a young directory is live.
    const created = await stat(dir).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    return now - created < STALE_AFTER_MS
      ? { pid: 0, host: "unknown", command: "(starting)", startedAt: new Date(created).toISOString(), socket: null }
      : null;
  }
  if (owner.info.host === hostname()) {
    // Our own pid: live only if this process holds it now (a test running the bot and the CLI in
    // one process); otherwise it is a claim from an earlier life of this pid (a restarted container).
    if (owner.info.pid === process.pid) return claimedHere.has(path.resolve(dir)) ? owner.info : null;
    return isAlive(owner.info.pid) ? owner.info : null;
  }
  return now - owner.heartbeatAt < STALE_AFTER_MS ? owner.info : null;
}

/**
 * `mkdir -p`, written out because Node's `mkdir(..., { recursive: true })` spins forever where the
 * kernel answers ENOENT for a parent that exists (e.g. under /proc) instead of failing.
 */
async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && (await stat(dir)).isDirectory()) return;
    if (code !== "ENOENT" || path.dirname(dir) === dir) throw error;
    await makeDirectory(path.dirname(dir));
    await mkdir(dir); // once: if it still fails, that is the answer
  }
}

const sameClaim = (a: OwnerInfo | undefined, b: OwnerInfo | undefined) =>
  a === b || (a !== undefined && b !== undefined && a.pid === b.pid && a.host === b.host && a.startedAt === b.startedAt);

/**
 * Claims the data directory for this process, or throws DataDirBusyError naming the live owner; an
 * owner that is shutting down is waited for (see ClaimOptions). `onLost` is called if the claim is
 * ever found taken over (it should stop writing at once).
 */
export async function claimDataDir(
  dataDir: string,
  command: string,
  onLost: (reason: string) => void,
  options: ClaimOptions = {},
): Promise<DataDirClaim> {
  await makeDirectory(path.resolve(dataDir));
  const dir = path.join(dataDir, OWNER_DIR);
  const waitOrRefuse = waitingFor(dataDir, options);
  // Within one process (a test that starts two bots), the pid check cannot tell the claims apart.
  const key = path.resolve(dir);
  for (let inProcess = claimedHere.get(key); inProcess; inProcess = claimedHere.get(key)) await waitOrRefuse(inProcess);
  const info: OwnerInfo = { pid: process.pid, host: hostname(), command, startedAt: new Date().toISOString(), socket: null };
  for (let attempt = 0; ;) {
    try {
      await mkdir(dir, { mode: 0o700 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST" || attempt >= 3) throw error;
    }
    const seen = (await readOwner(dir))?.info;
    const live = await isLive(dir, Date.now());
    if (live) {
      await waitOrRefuse(live);
      continue;
    }
    attempt++;
    // Dead: move it aside (rename is atomic), then claim again. If what was moved is not the claim
    // judged dead, another process cleared it and claimed first: put its claim back and give way.
    const aside = `${dir}.dead-${randomBytes(4).toString("hex")}`;
    if (
      !(await rename(dir, aside).then(
        () => true,
        () => false,
      ))
    )
      continue;
    const moved = (await readOwner(aside))?.info;
    if (!sameClaim(seen, moved)) {
      await rename(aside, dir).catch(() => {});
      throw new DataDirBusyError(
        dataDir,
        moved ?? { pid: 0, host: "unknown", command: "(starting)", startedAt: new Date().toISOString(), socket: null },
      );
    }
    await rm(aside, { recursive: true, force: true });
  }

  claimedHere.set(key, info);
  const file = path.join(dir, OWNER_FILE);
  let current = info;
  // Written aside and renamed into place, so a reader never sees a half-written file.
  const write = async () => {
    const aside = `${file}.${process.pid}.tmp`;
    await writeFile(aside, JSON.stringify(current), { mode: 0o600 });
    await rename(aside, file);
  };
  await write();

  let released = false;
  const heartbeat = setInterval(() => {
    void (async () => {
      const owner = await readOwner(dir);
      if (released) return;
      // Unreadable for a moment but still there: not lost (a reader can race a rename on some filesystems).
      if (
        !owner &&
        (await stat(dir).then(
          () => true,
          () => false,
        ))
      )
        return;
      if (released) return;
      if (!owner || owner.info.pid !== info.pid || owner.info.startedAt !== info.startedAt || owner.info.host !== info.host) {
        released = true;
        clearInterval(heartbeat);
        onLost(`another process took over ${dataDir} (${owner ? describeOwner(owner.info) : "its claim is gone"})`);
        return;
      }
      const now = new Date();
      // The directory too: a reader that cannot read the file judges by the directory's age.
      await Promise.all([utimes(file, now, now), utimes(dir, now, now)]).catch(() => {});
    })();
  }, HEARTBEAT_MS);
  heartbeat.unref();

  return {
    dataDir,
    dir,
    get info() {
      return current;
    },
    async setSocket(socket: string) {
      current = { ...current, socket };
      await write();
    },
    async markStopping() {
      if (released) return;
      current = { ...current, stoppingSince: new Date().toISOString() };
      claimedHere.set(key, current);
      await write();
    },
    async release() {
      if (released) return;
      released = true;
      clearInterval(heartbeat);
      claimedHere.delete(key);
      // Only our own claim: after a takeover, the directory is someone else's now. Moved aside first
      // (rename is atomic), then removed: a process waiting for us sees the whole claim or none, never
      // a directory without its owner.json, which would read as someone else starting.
      const owner = await readOwner(dir);
      if (owner && !sameClaim(owner.info, info)) return;
      const aside = `${dir}.released-${randomBytes(4).toString("hex")}`;
      if (
        await rename(dir, aside).then(
          () => true,
          () => false,
        )
      )
        await rm(aside, { recursive: true, force: true });
    },
  };
}

/**
 * Who holds the data directory now, if anyone (without claiming it). An owner that is shutting
 * down is waited for, as by claimDataDir: the CLI then opens the directory itself.
 */
export async function currentOwner(dataDir: string, options: Pick<ClaimOptions, "waitForStoppingMs"> = {}): Promise<OwnerInfo | null> {
  const deadline = Date.now() + (options.waitForStoppingMs ?? STOPPING_WAIT_MS);
  for (;;) {
    const owner = await isLive(path.join(dataDir, OWNER_DIR), Date.now());
    if (!owner?.stoppingSince || Date.now() >= deadline) return owner;
    await sleep(STOPPING_POLL_MS);
  }
}
