// Benchmarks for issues 6 and 22: ingest throughput and latency of signed Slack message events against
// a bare Bolt app, slash-command ack latency under that load, report compilation time, memory, and
// cold start. It ends with issue 22's targets, each PASS or FAIL (the exit code stays 0: the figures
// are noisy on a shared machine, and the integrator reads them).
//
//   npm run bench                 (builds, then: npx tsx bench/run.ts)
//
// The bot on PostgreSQL and the bare Bolt app run side by side, both started before any load, and
// take turns: BENCH_ROUNDS rounds, each sending the same kind of stream to one and then the other
// (the order swapped every round), so both see the same load from whatever else runs on the machine.
// The rate ratio is the median of the rounds' ratios. A stream is BENCH_MESSAGES message events, 10%
// more sent again as Slack's redeliveries (same body and event_id, X-Slack-Retry-Num: 1), and one
// `/incident log` per ten messages. The bot on PGlite runs alone, after them.
//
// Environment: BENCH_MESSAGES (2000 a round), BENCH_ROUNDS (5), BENCH_COMMANDS (messages / 10),
// BENCH_WARMUP (300), BENCH_CONCURRENCY (16), BENCH_DATABASE_URL
// (postgresql://postgres@127.0.0.1:5432/postgres; "off" skips PostgreSQL), BENCH_CPU_PROF=1
// (CPU-profile the server's main thread during the measured ingest and the 10,000-entry compile with
// node:inspector, print the top frames and where the time goes by area; the .cpuprofile files go to
// bench/profiles/ and open in Chrome DevTools), BENCH_ONLY=memory (only the memory figures: each
// server started, idle, restarted on its data; about 30 s), BENCH_NODE_FLAGS (the server's Node
// flags; default the start script's in package.json).
//
// The server under test (the real bot from startBot, or the bare Bolt app) runs in a child process
// (bench/server.js, running the build in dist/ as `npm start` does) so it has a core of its own and its RSS is its own; this process generates the
// load and serves fake Slack and fake GitHub from test/support. Everything is on 127.0.0.1.
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { access, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { Agent, request as httpRequest } from "node:http";
import { Session } from "node:inspector/promises";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { compileReport } from "../src/incidents/report/compile.js";
import { FakeGitHub } from "../test/support/fakeGitHub.js";
import { FakeSlack } from "../test/support/fakeSlack.js";
import { eventBody, sendSigned, signature, SIGNING_SECRET, slashCommandBody } from "../test/support/slackRequests.js";
import { summariseProfile } from "./profile.js";
import type { EntriesSummary, MemorySample, ReadyMessage, Reply, Request, RssSummary, ServerConfig } from "./protocol.js";
import { SERVER_CONFIG_VARIABLE } from "./protocol.js";
import { buildRecord, USER_NAMES } from "./reportRecord.js";
import { heading, median, mib, ms, num, percentile, ratio, table } from "./stats.js";

const projectRoot = path.resolve(import.meta.dirname, "..");
const intFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const MESSAGES = intFromEnv("BENCH_MESSAGES", 2000);
const ROUNDS = intFromEnv("BENCH_ROUNDS", 5);
/** One message in ten is delivered again, as Slack does when an answer was late or lost. */
const REDELIVER_EVERY = 10;
const COMMANDS = intFromEnv("BENCH_COMMANDS", Math.max(1, Math.round(MESSAGES / 10)));
const WARMUP = intFromEnv("BENCH_WARMUP", 300);
const CONCURRENCY = intFromEnv("BENCH_CONCURRENCY", 16);
const CPU_PROF = process.env.BENCH_CPU_PROF === "1";
const ONLY = process.env.BENCH_ONLY;
if (ONLY !== undefined && ONLY !== "memory") throw new Error(`BENCH_ONLY=${ONLY}: the only part that runs alone is "memory"`);
const PROFILE_DIR = path.join(projectRoot, "bench", "profiles");
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const RSS_EVERY_MS = 50;
/**
 * The Node flags the bot runs with, read from package.json's start script (the Dockerfile's entry
 * point has the same): a young generation of at most 4 MiB per semi-space instead of 16 (about
 * 8-10 MiB less resident), and gc() for collecting start-up's garbage (src/startupGarbage.ts).
 * The bare Bolt app gets them too, so the comparison is of code, not of flags.
 */
const packageJson = JSON.parse(readFileSync(path.join(projectRoot, "package.json"), "utf8")) as { scripts: { start: string } };
const START_SCRIPT_FLAGS = /^node((?:\s+--\S+)*)\s/.exec(packageJson.scripts.start)?.[1] ?? "";
const SERVER_NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? START_SCRIPT_FLAGS).split(" ").filter(Boolean);
const ACK_TARGET_MS = 50;
/** Issue 22's targets, bot on PostgreSQL against bare Bolt in the same run. */
const RATE_RATIO_TARGET = 0.7;
const P99_RATIO_TARGET = 1.5;
const IDLE_RSS_RATIO_TARGET = 1.5;
const PGLITE_IDLE_MB = 250;
const PGLITE_PEAK_MB = 400;
const COMPILE_TARGET_MS = 200;

const profileFile = (label: string) => path.join(PROFILE_DIR, `ingest-${label.replace(/\W+/g, "-")}.cpuprofile`);
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));
const progress = (text: string) => process.stderr.write(`· ${text}\n`);

/** VmRSS of a process, 0 once it has gone. */
function residentBytes(pid: number): number {
  try {
    return Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}

function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

// --- the server process ------------------------------------------------------------------------

class ServerProcess {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private exited = false;
  readonly exit: Promise<number | null>;

  private constructor(
    private readonly child: ChildProcess,
    readonly label: string,
  ) {
    this.exit = new Promise((resolve) =>
      child.once("exit", (code) => {
        this.exited = true;
        clearInterval(this.combinedSampler);
        for (const waiter of this.pending.values()) waiter.reject(new Error(`${label}: server exited (${code})`));
        this.pending.clear();
        resolve(code);
      }),
    );
    child.on("message", (message: Reply) => {
      if (message.type !== "reply") return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiting?.resolve(message.result);
      else waiting?.reject(new Error(`${label}: ${message.error}`));
    });
  }

  /** Starts bench/server.js (plain node, the built bot in dist/); resolves once it is listening (and, for the bot, healthy). */
  /** Highest RSS of the server and its child processes together, sampled every few ms from spawn. */
  private combinedPeak = 0;
  private combinedSampler?: NodeJS.Timeout;

  /** Stops sampling the server's and its children's RSS together; the highest sum seen. */
  stopCombinedSampling(): number {
    clearInterval(this.combinedSampler);
    return this.combinedPeak;
  }

  static async spawn(config: ServerConfig, label: string): Promise<{ server: ServerProcess; ready: ReadyMessage; spawnToReadyMs: number }> {
    const spawnedAt = performance.now();
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, path.join(projectRoot, "bench", "server.js")], {
      cwd: projectRoot,
      env: { ...process.env, [SERVER_CONFIG_VARIABLE]: JSON.stringify(config) },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    const server = new ServerProcess(child, label);
    // The bot prepares a new PGlite directory in a child process (src/database/prepareInChild.ts): what a
    // container must hold is both at once. Sampling misses short spikes; VmHWM covers the server alone.
    server.combinedSampler = setInterval(() => {
      const pid = child.pid;
      if (pid === undefined) return;
      const total = [pid, ...childPids(pid)].reduce((sum, each) => sum + residentBytes(each), 0);
      server.combinedPeak = Math.max(server.combinedPeak, total);
    }, 2);
    const ready = await new Promise<ReadyMessage>((resolve, reject) => {
      child.on("message", (message: ReadyMessage) => message.type === "ready" && resolve(message));
      void server.exit.then((code) => reject(new Error(`${label}: server exited with ${code} before it was ready`)));
    });
    return { server, ready, spawnToReadyMs: performance.now() - spawnedAt };
  }

  request<T>(request: Request): Promise<T> {
    if (this.exited) return Promise.reject(new Error(`${this.label}: server has exited`));
    const id = ++this.nextId;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, ...request });
    });
  }

  /** Stops the bot (or app) gracefully; kills the process if that does not finish. */
  async stop(): Promise<void> {
    if (this.exited) return;
    try {
      await Promise.race([this.request({ op: "stop" }), sleep(15_000).then(() => Promise.reject(new Error("stop timed out")))]);
      await Promise.race([this.exit, sleep(5_000)]);
    } catch (error) {
      progress(`${this.label}: ${(error as Error).message}; killing it`);
    }
    if (!this.exited) {
      this.child.kill("SIGKILL");
      await this.exit;
    }
  }
}

// --- load ----------------------------------------------------------------------------------------

interface Job {
  kind: "message" | "command";
  body: string;
  contentType: string;
  /** A message's ts, on its first delivery only (a redelivery has none: it must not be stored twice). */
  ts?: string;
  /** Slack's redelivery headers. */
  retry?: boolean;
  /** A command's ack with a message in it: Slack shows it as an answer to the command. */
  answered?: (ackBody: string) => void;
}

interface LoadResult {
  wallMs: number;
  messages: number;
  commands: number;
  messageLatencies: number[];
  commandLatencies: number[];
  /** "HTTP 500", "ECONNRESET", ... -> count */
  failures: Map<string, number>;
  clientCpuMs: number;
}

const PROSE = [
  "hub pods are crash-looping again, restarts at 14/min on hub-3",
  "<@UALICE> can you check the ingress controller logs? 502s on <https://grafana.example.com/d/abc|the dashboard>",
  "rolled back to v1.2.3, watching the error rate",
  "error rate back under 1% &amp; p99 latency at 420ms",
  "```kubectl -n hub get pods | grep CrashLoopBackOff\nhub-3-7d9f   0/1   CrashLoopBackOff   14   22m```",
  "$ kubectl rollout undo deploy/hub -n hub",
  "the failing job used password=hunter2hunter2 in its env, rotating it now",
  "memory on the node pool is at 93%, cordoning node-7 and node-9 before they OOM again",
];

/** Unique Slack timestamps, an hour in the past, a microsecond apart. */
function tsSource() {
  const base = Math.floor(Date.now() / 1000) - 3600;
  let seq = 0;
  return () => {
    const n = seq++;
    return `${base + Math.floor(n / 1_000_000)}.${String(n % 1_000_000).padStart(6, "0")}`;
  };
}

/**
 * `messages` message events with `commands` `/incident log` commands spread evenly among them and,
 * with `redeliver`, one message in REDELIVER_EVERY sent again a little later (as Slack redelivers an
 * event whose answer was slow: the same body, with X-Slack-Retry-Num).
 */
function buildJobs(messages: number, commands: number, channel: string, slack: FakeSlack, nextTs: () => string, redeliver = false): Job[] {
  const jobs: Job[] = [];
  const sentMessages: Job[] = [];
  const every = commands > 0 ? messages / commands : Infinity;
  let commandsAdded = 0;
  const parents: string[] = [];
  for (let i = 0; i < messages; i++) {
    const ts = nextTs();
    const reply = parents.length > 0 && i % 10 === 3;
    const event: Record<string, unknown> = {
      type: "message",
      channel,
      channel_type: "channel",
      user: ["UALICE", "UBOB", "UCAROL", "UDAVE"][i % 4],
      text: `${PROSE[i % PROSE.length]} (#${i})`,
      ts,
      event_ts: ts,
      ...(reply ? { thread_ts: parents[parents.length - 1] } : {}),
    };
    if (!reply && i % 25 === 0) parents.push(ts);
    const job: Job = { kind: "message", body: eventBody(event), contentType: "application/json", ts };
    jobs.push(job);
    sentMessages.push(job);
    // Twenty messages back: by then the first delivery has usually been answered (or is in flight).
    if (redeliver && i % REDELIVER_EVERY === REDELIVER_EVERY - 1 && sentMessages.length > 20) {
      const first = sentMessages[sentMessages.length - 21]!;
      jobs.push({ kind: "message", body: first.body, contentType: first.contentType, retry: true });
    }
    while (commandsAdded < commands && i + 1 >= (commandsAdded + 1) * every) {
      const responseUrl = slack.responseUrl();
      const body = slashCommandBody({
        text: `log checked dashboards, step ${commandsAdded}: failover to eu-west-2 looks healthy`,
        channel_id: channel,
        user_id: "UBOB",
        user_name: "bob",
        response_url: responseUrl,
        trigger_id: `${Date.now()}.${randomUUID()}`,
      });
      const answered = (ackBody: string) => slack.recordAck(ackBody, responseUrl);
      jobs.push({ kind: "command", body, contentType: "application/x-www-form-urlencoded", answered });
      commandsAdded++;
    }
  }
  return jobs;
}

/** POSTs one signed request; resolves with the status once the whole answer has arrived (a command's is read). */
function post(agent: Agent, port: number, job: Job): Promise<number> {
  const timestamp = Math.floor(Date.now() / 1000);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        agent,
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/slack/events",
        headers: {
          "content-type": job.contentType,
          "content-length": Buffer.byteLength(job.body),
          "x-slack-request-timestamp": String(timestamp),
          "x-slack-signature": signature(job.body, timestamp),
          ...(job.retry ? { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } : {}),
        },
      },
      (res) => {
        let answer = "";
        res.on("data", (chunk: Buffer) => {
          if (job.answered) answer += chunk.toString();
        });
        res.on("end", () => {
          if (answer && res.statusCode === 200) job.answered?.(answer);
          resolve(res.statusCode ?? 0);
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(job.body);
  });
}

/** Sends the jobs in order with `concurrency` requests in flight; times each to its full answer. */
async function runLoad(port: number, jobs: Job[], concurrency: number, sentTs: string[]): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const result: LoadResult = {
    wallMs: 0,
    messages: 0,
    commands: 0,
    messageLatencies: [],
    commandLatencies: [],
    failures: new Map(),
    clientCpuMs: 0,
  };
  const fail = (what: string) => result.failures.set(what, (result.failures.get(what) ?? 0) + 1);
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  const worker = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const sentAt = performance.now();
      try {
        const status = await post(agent, port, job);
        const latency = performance.now() - sentAt;
        if (status !== 200) fail(`${job.kind}: HTTP ${status}`);
        if (job.kind === "message") {
          result.messages++;
          result.messageLatencies.push(latency);
          if (job.ts) sentTs.push(job.ts);
        } else {
          result.commands++;
          result.commandLatencies.push(latency);
        }
      } catch (error) {
        fail(`${job.kind}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  result.wallMs = performance.now() - startedAt;
  const cpu = process.cpuUsage(cpuBefore);
  result.clientCpuMs = (cpu.user + cpu.system) / 1000;
  agent.destroy();
  return result;
}

// --- scenarios -----------------------------------------------------------------------------------

interface ColdStart {
  label: string;
  ready: ReadyMessage;
  spawnToReadyMs: number;
}

interface Verification {
  sent: number;
  stored: number;
  lost: number;
  duplicated: number;
  unexpected: number;
  logsSent: number;
  logsStored: number;
  logAnswers: number;
  /** Entries still there after a restart on the same database, when restarted. */
  afterRestart?: number;
}

interface ScenarioResult {
  label: string;
  idleMemory: MemorySample;
  /** Idle memory of the process restarted on the same database (no initdb, no pending migration). */
  restartIdleMemory?: MemorySample;
  load: LoadResult;
  rss: RssSummary;
  serverCpuMs: number;
  verification?: Verification;
}

type DatabaseChoice = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

/** The server under test: the bot on `database`, or bare Bolt when there is none. */
const serverConfig = (database: DatabaseChoice | null, slack: FakeSlack, github: FakeGitHub): ServerConfig =>
  database
    ? { mode: "bot", database, slackApiUrl: slack.apiUrl, githubUrl: github.url, signingSecret: SIGNING_SECRET }
    : { mode: "bare", slackApiUrl: slack.apiUrl, signingSecret: SIGNING_SECRET };

async function runScenario(
  label: string,
  database: DatabaseChoice | null,
  coldStarts: ColdStart[],
  options: { restart?: string } = {},
): Promise<ScenarioResult> {
  const slack = await FakeSlack.start();
  const github = await FakeGitHub.start();
  const config = () => serverConfig(database, slack, github);
  let server: ServerProcess | undefined;
  try {
    progress(`${label}: starting`);
    const spawned = await ServerProcess.spawn(config(), label.replace(/\W+/g, "-"));
    server = spawned.server;
    coldStarts.push({ label: database ? `${label}, fresh` : label, ready: spawned.ready, spawnToReadyMs: spawned.spawnToReadyMs });
    const port = spawned.ready.port;
    const idleMemory = {
      ...(await server.request<MemorySample>({ op: "memory", settleMs: 1000 })),
      peakWithChildren: server.stopCombinedSampling(),
    };

    let channel = "CBENCH0001";
    let incidentId: string | undefined;
    if (database) {
      const declared = await sendSigned(
        `http://127.0.0.1:${port}/slack/events`,
        slashCommandBody({ text: "declare Bench ingest load sev2", response_url: slack.responseUrl() }),
        "application/x-www-form-urlencoded",
      );
      if (declared.status !== 200) throw new Error(`${label}: /incident declare answered ${declared.status}`);
      await server.request({ op: "idle" });
      const incident = await server.request<{ id: string; channelId: string } | null>({ op: "incident" });
      if (!incident)
        throw new Error(`${label}: /incident declare did not create an incident (answers: ${JSON.stringify(slack.responses())})`);
      channel = incident.channelId;
      incidentId = incident.id;
    }

    const nextTs = tsSource();
    const sentTs: string[] = [];
    const warmCommands = Math.round((WARMUP * COMMANDS) / MESSAGES);
    const warmJobs = buildJobs(WARMUP, warmCommands, channel, slack, nextTs, true);
    const jobs = buildJobs(MESSAGES, COMMANDS, channel, slack, nextTs, true);

    await server.request({ op: "rssStart", everyMs: RSS_EVERY_MS });
    progress(`${label}: warm-up (${WARMUP} messages, ${warmCommands} commands)`);
    const warm = await runLoad(port, warmJobs, CONCURRENCY, sentTs);
    await server.request({ op: "idle" });
    progress(`${label}: ${MESSAGES} messages and ${COMMANDS} /incident log commands, ${CONCURRENCY} in flight`);
    if (CPU_PROF) await server.request({ op: "profileStart" });
    const cpuBefore = await server.request<NodeJS.CpuUsage>({ op: "cpu" });
    const load = await runLoad(port, jobs, CONCURRENCY, sentTs);
    const cpuAfter = await server.request<NodeJS.CpuUsage>({ op: "cpu" });
    if (CPU_PROF) await server.request({ op: "profileStop", file: profileFile(label) });
    await server.request({ op: "idle" });
    const rss = await server.request<RssSummary>({ op: "rssStop" });
    for (const [what, count] of warm.failures) load.failures.set(`warm-up ${what}`, count);

    let verification: Verification | undefined;
    let restartIdleMemory: MemorySample | undefined;
    if (incidentId) {
      const entries = await server.request<EntriesSummary>({ op: "entries", incidentId });
      const stored = new Set(entries.messageTs);
      const sent = new Set(sentTs);
      const logsSent = warm.commands + load.commands;
      verification = {
        sent: sentTs.length,
        stored: entries.messageTs.length,
        lost: [...sent].filter((ts) => !stored.has(ts)).length,
        duplicated: entries.messageTs.length - stored.size,
        unexpected: [...stored].filter((ts) => !sent.has(ts)).length,
        logsSent,
        logsStored: entries.byKind.log ?? 0,
        logAnswers: slack.responses().filter((r) => String(r.text).startsWith("Logged:")).length,
      };
      if (options.restart) {
        await server.stop();
        progress(`${label}: restarting on the same database`);
        const again = await ServerProcess.spawn(config(), `${label}-restart`.replace(/\W+/g, "-"));
        server = again.server;
        coldStarts.push({ label: options.restart, ready: again.ready, spawnToReadyMs: again.spawnToReadyMs });
        restartIdleMemory = {
          ...(await server.request<MemorySample>({ op: "memory", settleMs: 1000 })),
          peakWithChildren: server.stopCombinedSampling(),
        };
        verification.afterRestart = (await server.request<EntriesSummary>({ op: "entries", incidentId })).total;
      }
    }
    return {
      label,
      idleMemory,
      restartIdleMemory,
      load,
      rss,
      serverCpuMs: (cpuAfter.user - cpuBefore.user + cpuAfter.system - cpuBefore.system) / 1000,
      verification,
    };
  } finally {
    await server?.stop();
    await Promise.all([slack.close(), github.close()]);
  }
}

interface Round {
  /** Which server took the stream first this round. */
  first: "bare" | "ours";
  bare: LoadResult;
  ours: LoadResult;
  bareCpuMs: number;
  oursCpuMs: number;
}

interface Paired {
  bare: ScenarioResult;
  postgres: ScenarioResult;
  rounds: Round[];
}

/** One load over all rounds: latencies pooled, times and counts added up. */
function pooled(loads: LoadResult[]): LoadResult {
  const failures = new Map<string, number>();
  for (const load of loads) for (const [what, count] of load.failures) failures.set(what, (failures.get(what) ?? 0) + count);
  return {
    wallMs: loads.reduce((sum, l) => sum + l.wallMs, 0),
    messages: loads.reduce((sum, l) => sum + l.messages, 0),
    commands: loads.reduce((sum, l) => sum + l.commands, 0),
    messageLatencies: loads.flatMap((l) => l.messageLatencies),
    commandLatencies: loads.flatMap((l) => l.commandLatencies),
    failures,
    clientCpuMs: loads.reduce((sum, l) => sum + l.clientCpuMs, 0),
  };
}

const cpuMs = (before: NodeJS.CpuUsage, after: NodeJS.CpuUsage) => (after.user - before.user + after.system - before.system) / 1000;

/**
 * Issue 22's comparison: the bare Bolt app and the bot on PostgreSQL (a new database) both started,
 * then ROUNDS rounds in which each takes the same kind of stream in turn, the order swapped each round.
 */
async function runPaired(url: string, coldStarts: ColdStart[]): Promise<Paired> {
  const slack = await FakeSlack.start();
  const github = await FakeGitHub.start();
  const database: DatabaseChoice = { kind: "postgres", url };
  const servers: ServerProcess[] = [];
  try {
    progress("bare Bolt app: starting");
    const bareSpawn = await ServerProcess.spawn(serverConfig(null, slack, github), "bare-Bolt-app");
    servers.push(bareSpawn.server);
    coldStarts.push({ label: "bare Bolt app", ready: bareSpawn.ready, spawnToReadyMs: bareSpawn.spawnToReadyMs });
    const bareIdle = {
      ...(await bareSpawn.server.request<MemorySample>({ op: "memory", settleMs: 1000 })),
      peakWithChildren: bareSpawn.server.stopCombinedSampling(),
    };

    progress("ours, PostgreSQL: starting (new database)");
    const oursSpawn = await ServerProcess.spawn(serverConfig(database, slack, github), "ours-PostgreSQL");
    servers.push(oursSpawn.server);
    coldStarts.push({ label: "ours, PostgreSQL, fresh", ready: oursSpawn.ready, spawnToReadyMs: oursSpawn.spawnToReadyMs });
    const oursIdle = {
      ...(await oursSpawn.server.request<MemorySample>({ op: "memory", settleMs: 1000 })),
      peakWithChildren: oursSpawn.server.stopCombinedSampling(),
    };

    const bare = { server: bareSpawn.server, port: bareSpawn.ready.port, channel: "CBENCH0001", nextTs: tsSource() };
    let ours = { server: oursSpawn.server, port: oursSpawn.ready.port, channel: "", nextTs: tsSource() };
    const declared = await sendSigned(
      `http://127.0.0.1:${ours.port}/slack/events`,
      slashCommandBody({ text: "declare Bench ingest load sev2", response_url: slack.responseUrl() }),
      "application/x-www-form-urlencoded",
    );
    if (declared.status !== 200) throw new Error(`ours, PostgreSQL: /incident declare answered ${declared.status}`);
    await ours.server.request({ op: "idle" });
    const incident = await ours.server.request<{ id: string; channelId: string } | null>({ op: "incident" });
    if (!incident)
      throw new Error(`ours, PostgreSQL: /incident declare did not create an incident (answers: ${JSON.stringify(slack.responses())})`);
    ours.channel = incident.channelId;

    const sentTs: string[] = [];
    const jobsFor = (side: typeof bare, messages: number, commands: number) =>
      buildJobs(messages, commands, side.channel, slack, side.nextTs, true);
    const warmCommands = Math.round((WARMUP * COMMANDS) / MESSAGES);
    progress(`warm-up, both (${WARMUP} messages, ${warmCommands} commands, redeliveries)`);
    const warmBare = await runLoad(bare.port, jobsFor(bare, WARMUP, warmCommands), CONCURRENCY, []);
    const warmOurs = await runLoad(ours.port, jobsFor(ours, WARMUP, warmCommands), CONCURRENCY, sentTs);
    await ours.server.request({ op: "idle" });

    for (const side of [bare, ours]) await side.server.request({ op: "rssStart", everyMs: RSS_EVERY_MS });
    if (CPU_PROF) for (const side of [bare, ours]) await side.server.request({ op: "profileStart" });
    const rounds: Round[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const first = r % 2 === 0 ? "bare" : "ours";
      progress(
        `round ${r + 1}/${ROUNDS}: ${MESSAGES} messages (+${Math.floor(MESSAGES / REDELIVER_EVERY)} redelivered) ` +
          `and ${COMMANDS} /incident log each, ${first === "bare" ? "bare Bolt first" : "ours first"}`,
      );
      const measured: Partial<Record<"bare" | "ours", { load: LoadResult; cpuMs: number }>> = {};
      for (const which of first === "bare" ? (["bare", "ours"] as const) : (["ours", "bare"] as const)) {
        const side = which === "bare" ? bare : ours;
        const jobs = jobsFor(side, MESSAGES, COMMANDS);
        const before = await side.server.request<NodeJS.CpuUsage>({ op: "cpu" });
        const load = await runLoad(side.port, jobs, CONCURRENCY, which === "ours" ? sentTs : []);
        const after = await side.server.request<NodeJS.CpuUsage>({ op: "cpu" });
        // Commands finish in the background after their ack: let them, before the other side's turn.
        await side.server.request({ op: "idle" });
        measured[which] = { load, cpuMs: cpuMs(before, after) };
      }
      rounds.push({
        first,
        bare: measured.bare!.load,
        ours: measured.ours!.load,
        bareCpuMs: measured.bare!.cpuMs,
        oursCpuMs: measured.ours!.cpuMs,
      });
    }
    if (CPU_PROF) {
      await bare.server.request({ op: "profileStop", file: profileFile("bare Bolt app") });
      await ours.server.request({ op: "profileStop", file: profileFile("ours, PostgreSQL") });
    }
    const bareRss = await bare.server.request<RssSummary>({ op: "rssStop" });
    const oursRss = await ours.server.request<RssSummary>({ op: "rssStop" });

    const entries = await ours.server.request<EntriesSummary>({ op: "entries", incidentId: incident.id });
    const stored = new Set(entries.messageTs);
    const sent = new Set(sentTs);
    const oursLoad = pooled(rounds.map((r) => r.ours));
    const bareLoad = pooled(rounds.map((r) => r.bare));
    for (const [what, count] of warmOurs.failures) oursLoad.failures.set(`warm-up ${what}`, count);
    for (const [what, count] of warmBare.failures) bareLoad.failures.set(`warm-up ${what}`, count);
    const verification: Verification = {
      sent: sentTs.length,
      stored: entries.messageTs.length,
      lost: [...sent].filter((ts) => !stored.has(ts)).length,
      duplicated: entries.messageTs.length - stored.size,
      unexpected: [...stored].filter((ts) => !sent.has(ts)).length,
      logsSent: warmOurs.commands + oursLoad.commands,
      logsStored: entries.byKind.log ?? 0,
      logAnswers: slack.responses().filter((r) => String(r.text).startsWith("Logged:")).length,
    };

    await bare.server.stop();
    await ours.server.stop();
    progress("ours, PostgreSQL: restarting on the same database");
    const again = await ServerProcess.spawn(serverConfig(database, slack, github), "ours-PostgreSQL-restart");
    servers.push(again.server);
    coldStarts.push({ label: "ours, PostgreSQL, existing database", ready: again.ready, spawnToReadyMs: again.spawnToReadyMs });
    const restartIdleMemory = {
      ...(await again.server.request<MemorySample>({ op: "memory", settleMs: 1000 })),
      peakWithChildren: again.server.stopCombinedSampling(),
    };
    verification.afterRestart = (await again.server.request<EntriesSummary>({ op: "entries", incidentId: incident.id })).total;
    ours = { ...ours, server: again.server };

    return {
      rounds,
      bare: {
        label: "bare Bolt app",
        idleMemory: bareIdle,
        load: bareLoad,
        rss: bareRss,
        serverCpuMs: rounds.reduce((sum, r) => sum + r.bareCpuMs, 0),
      },
      postgres: {
        label: "ours, PostgreSQL",
        idleMemory: oursIdle,
        restartIdleMemory,
        load: oursLoad,
        rss: oursRss,
        serverCpuMs: rounds.reduce((sum, r) => sum + r.oursCpuMs, 0),
        verification,
      },
    };
  } finally {
    for (const server of servers) await server.stop();
    await Promise.all([slack.close(), github.close()]);
  }
}

async function withPostgres<T>(run: (url: string) => Promise<T>): Promise<T | string> {
  if (DATABASE_URL === "off") return "skipped (BENCH_DATABASE_URL=off)";
  const admin = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (error) {
    return `not reachable at ${new URL(DATABASE_URL).host} (${(error as Error).message}): skipped`;
  }
  const name = `incident_bot_bench_${randomUUID().replace(/-/g, "").slice(0, 16)}`;
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(DATABASE_URL);
    url.pathname = `/${name}`;
    return await run(url.toString());
  } finally {
    await admin
      .query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      .catch((error: Error) => progress(`could not drop ${name}: ${error.message}`));
    await admin.end();
  }
}

// --- report compilation ------------------------------------------------------------------------

interface CompileResult {
  size: number;
  timelineEntries: number;
  runs: number;
  medianMs: number;
  minMs: number;
  p90Ms: number;
  markdownKiB: number;
}

async function benchCompile(): Promise<{ results: CompileResult[]; profile?: string }> {
  const options = {
    timeZone: "Europe/London",
    now: new Date(Date.UTC(2025, 9, 28)),
    slackTeamUrl: "https://acme.slack.com",
    userNames: USER_NAMES,
  };
  const results: CompileResult[] = [];
  let profile: string | undefined;
  for (const [size, runs] of [
    [100, 200],
    [1_000, 40],
    [10_000, 10],
  ] as const) {
    const record = buildRecord(size);
    for (let i = 0; i < 3; i++) compileReport(record, options); // warm-up
    const times: number[] = [];
    let markdown = "";
    for (let i = 0; i < runs; i++) {
      const startedAt = performance.now();
      markdown = compileReport(record, options).markdown;
      times.push(performance.now() - startedAt);
    }
    const timeline = markdown.split("\n").filter((line) => line.startsWith("- **")).length;
    results.push({
      size,
      timelineEntries: timeline,
      runs,
      medianMs: median(times),
      minMs: Math.min(...times),
      p90Ms: percentile(times, 0.9),
      markdownKiB: Buffer.byteLength(markdown) / 1024,
    });
    if (CPU_PROF && size === 10_000) {
      const session = new Session();
      session.connect();
      await session.post("Profiler.enable");
      await session.post("Profiler.setSamplingInterval", { interval: 100 });
      await session.post("Profiler.start");
      for (let i = 0; i < 20; i++) compileReport(record, options);
      const { profile: cpuProfile } = await session.post("Profiler.stop");
      session.disconnect();
      await mkdir(PROFILE_DIR, { recursive: true });
      profile = path.join(PROFILE_DIR, "compile-10000.cpuprofile");
      await writeFile(profile, JSON.stringify(cpuProfile));
    }
  }
  return { results, profile };
}

// --- output --------------------------------------------------------------------------------------

function loadRow(result: ScenarioResult): string[] {
  const { load } = result;
  const failures = [...load.failures.values()].reduce((a, b) => a + b, 0);
  return [
    result.label,
    num(load.messages),
    ms(load.wallMs, 0),
    num((load.messages / load.wallMs) * 1000),
    ms(median(load.messageLatencies), 2),
    ms(percentile(load.messageLatencies, 0.99), 2),
    ms(Math.max(...load.messageLatencies), 1),
    num(failures),
    num((result.serverCpuMs / load.wallMs) * 100) + "%",
    num((load.clientCpuMs / load.wallMs) * 100) + "%",
    `${(result.serverCpuMs / (load.messages + load.commands)).toFixed(3)} ms`,
  ];
}

function printLoad(results: ScenarioResult[], postgresNote: string | undefined) {
  console.log(
    heading(
      "1. Message ingest: signed message events -> HTTP receiver -> database " +
        `(${num(MESSAGES)} messages + ${num(COMMANDS)} commands, ${CONCURRENCY} in flight, after ${WARMUP} warm-up)`,
    ),
  );
  console.log(
    table([
      ["server", "messages", "wall", "msg/s", "median", "p99", "max", "failed", "server CPU", "client CPU", "server CPU/request"],
      ...results.map(loadRow),
    ]),
  );
  if (postgresNote) console.log(`PostgreSQL: ${postgresNote}`);
  const bare = results.find((r) => r.label.startsWith("bare"));
  if (bare) {
    const bareRate = bare.load.messages / bare.load.wallMs;
    console.log("\nours / bare Bolt (same run, same machine):");
    console.log(
      table([
        ["database", "throughput", "median latency", "p99 latency"],
        ...results
          .filter((r) => r !== bare)
          .map((r) => [
            r.label,
            ratio(r.load.messages / r.load.wallMs / bareRate),
            ratio(median(r.load.messageLatencies) / median(bare.load.messageLatencies)),
            ratio(percentile(r.load.messageLatencies, 0.99) / percentile(bare.load.messageLatencies, 0.99)),
          ]),
      ]),
    );
  }
  console.log("\nstored vs sent (warm-up included; every message has its own ts):");
  for (const r of results) {
    const v = r.verification;
    if (!v) continue;
    const restart = v.afterRestart !== undefined ? `; ${num(v.afterRestart)} entries after restart` : "";
    console.log(
      `  ${r.label}: sent ${num(v.sent)}, stored ${num(v.stored)} -> lost: ${v.lost}, duplicated: ${v.duplicated}, unexpected: ${v.unexpected}; ` +
        `/incident log: sent ${v.logsSent}, stored ${v.logsStored}, answered ${v.logAnswers}${restart}`,
    );
  }
  for (const r of results) {
    if (r.load.failures.size) console.log(`  ${r.label} failures: ${[...r.load.failures].map(([k, v]) => `${k} ×${v}`).join(", ")}`);
  }
}

function printCommands(results: ScenarioResult[]) {
  console.log(heading(`2. Slash command ack latency: /incident log during the ingest run (target p99 < ${ACK_TARGET_MS} ms)`));
  console.log(
    table([
      ["server", "commands", "median", "p90", "p99", "max", "p99 target"],
      ...results.map((r) => {
        const l = r.load.commandLatencies;
        const p99 = percentile(l, 0.99);
        return [
          r.label + (r.label.startsWith("bare") ? " (no-op ack)" : ""),
          num(l.length),
          ms(median(l), 2),
          ms(percentile(l, 0.9), 2),
          ms(p99, 2),
          ms(Math.max(...l), 1),
          r.label.startsWith("bare") ? "-" : p99 < ACK_TARGET_MS ? "met" : "MISSED",
        ];
      }),
    ]),
  );
}

function printCompile(results: CompileResult[]) {
  console.log(heading(`3. Report compilation: compileReport on an in-memory record (target 10,000 entries < ${COMPILE_TARGET_MS} ms)`));
  console.log(
    table([
      ["entries", "in timeline", "runs", "median", "p90", "min", "markdown", "target"],
      ...results.map((r) => [
        num(r.size),
        num(r.timelineEntries),
        num(r.runs),
        ms(r.medianMs, 2),
        ms(r.p90Ms, 2),
        ms(r.minMs, 2),
        `${num(r.markdownKiB)} KiB`,
        r.size === 10_000 ? (r.medianMs < COMPILE_TARGET_MS ? "met" : "MISSED") : "-",
      ]),
    ]),
  );
  console.log(
    "(record: ~15% typed entries, ~45% of messages highlighted, code blocks, thread replies, edits, files, 2% deleted; " +
      "over ~2 days across the BST->GMT change)",
  );
}

function printMemory(results: ScenarioResult[]) {
  console.log(heading(`4. Memory of the server process (RSS sampled every ${RSS_EVERY_MS} ms during warm-up + run)`));
  console.log(
    table([
      [
        "server",
        "idle after start-up",
        "peak during start-up (with children)",
        "idle heapUsed",
        "peak under load",
        "mean under load",
        "peak heapUsed",
        "samples",
      ],
      ...results.flatMap((r) => [
        [
          r.label,
          mib(r.idleMemory.rss),
          `${mib(r.idleMemory.peakRss)} (${mib(Math.max(r.idleMemory.peakRss, r.idleMemory.peakWithChildren ?? 0))})`,
          mib(r.idleMemory.heapUsed),
          mib(r.rss.peakRss),
          mib(r.rss.meanRss),
          mib(r.rss.peakHeapUsed),
          num(r.rss.samples),
        ],
        ...(r.restartIdleMemory
          ? [
              [
                `${r.label}, restarted on existing data`,
                mib(r.restartIdleMemory.rss),
                `${mib(r.restartIdleMemory.peakRss)} (${mib(Math.max(r.restartIdleMemory.peakRss, r.restartIdleMemory.peakWithChildren ?? 0))})`,
                mib(r.restartIdleMemory.heapUsed),
                "-",
                "-",
                "-",
                "-",
              ],
            ]
          : []),
      ]),
    ]),
  );
  console.log("(idle = after start-up and background tasks, +1 s; peak during start-up = the kernel's high-water mark (VmHWM) up to then,");
  console.log(" in brackets the highest sum of the server's and its child processes' RSS, sampled every 2 ms;");
  console.log(" the first row of each database is a new data directory / database, prepared and migrated by a child process)");
  printMemoryTargets(results.map((r) => ({ label: r.label, idle: r.idleMemory, restart: r.restartIdleMemory })));
}

function printRounds(rounds: Round[]) {
  console.log(
    heading(
      `1b. Alternating rounds, bot on PostgreSQL and bare Bolt side by side (${rounds.length} rounds; ` +
        `each: ${num(MESSAGES)} messages + ${num(Math.floor(MESSAGES / REDELIVER_EVERY))} redeliveries + ${num(COMMANDS)} /incident log)`,
    ),
  );
  const rate = (l: LoadResult) => (l.messages / l.wallMs) * 1000;
  console.log(
    table([
      [
        "round",
        "first",
        "bare msg/s",
        "ours msg/s",
        "ratio",
        "bare p50",
        "ours p50",
        "bare p99",
        "ours p99",
        "ours ack p99",
        "bare CPU/req",
        "ours CPU/req",
      ],
      ...rounds.map((r, i) => [
        String(i + 1),
        r.first,
        num(rate(r.bare)),
        num(rate(r.ours)),
        ratio(rate(r.ours) / rate(r.bare)),
        ms(median(r.bare.messageLatencies), 2),
        ms(median(r.ours.messageLatencies), 2),
        ms(percentile(r.bare.messageLatencies, 0.99), 2),
        ms(percentile(r.ours.messageLatencies, 0.99), 2),
        ms(percentile(r.ours.commandLatencies, 0.99), 2),
        ms(r.bareCpuMs / (r.bare.messages + r.bare.commands), 3),
        ms(r.oursCpuMs / (r.ours.messages + r.ours.commands), 3),
      ]),
    ]),
  );
  console.log(`median ratio: ${ratio(median(rounds.map((r) => rate(r.ours) / rate(r.bare))))}`);
}

/** Issue 22's targets, one line each, PASS or FAIL. */
function printTargets(paired: Paired | string, pglite: ScenarioResult) {
  const lines: string[][] = [["", "target", "measured"]];
  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const MB = 1_000_000;
  if (typeof paired === "string") {
    lines.push(["-", "PostgreSQL targets", `not measured: PostgreSQL ${paired}`]);
  } else {
    const { rounds, bare, postgres } = paired;
    const ratios = rounds.map((r) => r.ours.messages / r.ours.wallMs / (r.bare.messages / r.bare.wallMs));
    const rateRatio = median(ratios);
    lines.push([
      verdict(rateRatio >= RATE_RATIO_TARGET),
      `ingest rate on PostgreSQL >= ${RATE_RATIO_TARGET}× bare Bolt (median of rounds)`,
      `${ratio(rateRatio)} (rounds: ${ratios.map(ratio).join(", ")})`,
    ]);
    const p99 = percentile(postgres.load.messageLatencies, 0.99);
    const bareP99 = percentile(bare.load.messageLatencies, 0.99);
    lines.push([
      verdict(p99 / bareP99 <= P99_RATIO_TARGET),
      `event p99 on PostgreSQL <= ${P99_RATIO_TARGET}× bare Bolt's (all rounds)`,
      `${ratio(p99 / bareP99)} (${ms(p99, 2)} vs ${ms(bareP99, 2)}; ` +
        `p50 ${ms(median(postgres.load.messageLatencies), 2)} vs ${ms(median(bare.load.messageLatencies), 2)})`,
    ]);
    const ack = percentile(postgres.load.commandLatencies, 0.99);
    lines.push([verdict(ack < ACK_TARGET_MS), `/incident log ack p99 on PostgreSQL < ${ACK_TARGET_MS} ms`, ms(ack, 2)]);
    const v = postgres.verification!;
    const whole =
      v.lost === 0 &&
      v.duplicated === 0 &&
      v.unexpected === 0 &&
      v.logsStored === v.logsSent &&
      v.logAnswers === v.logsSent &&
      postgres.load.failures.size === 0;
    lines.push([
      verdict(whole),
      "PostgreSQL: nothing lost or doubled, every request answered 200",
      `lost ${v.lost}, duplicated ${v.duplicated}, logs ${v.logsStored}/${v.logsSent}, ` +
        `failed requests ${[...postgres.load.failures.values()].reduce((a, b) => a + b, 0)}`,
    ]);
    const idle = postgres.idleMemory.rss / bare.idleMemory.rss;
    lines.push([
      verdict(idle <= IDLE_RSS_RATIO_TARGET),
      `idle RSS on PostgreSQL <= ${IDLE_RSS_RATIO_TARGET}× bare Bolt's (new database)`,
      `${ratio(idle)} (${mib(postgres.idleMemory.rss)} vs ${mib(bare.idleMemory.rss)})`,
    ]);
    if (postgres.restartIdleMemory) {
      const again = postgres.restartIdleMemory.rss / bare.idleMemory.rss;
      lines.push([
        verdict(again <= IDLE_RSS_RATIO_TARGET),
        `idle RSS on PostgreSQL <= ${IDLE_RSS_RATIO_TARGET}× bare Bolt's (existing database)`,
        `${ratio(again)} (${mib(postgres.restartIdleMemory.rss)} vs ${mib(bare.idleMemory.rss)})`,
      ]);
    }
  }
  const peak = (m: MemorySample) => Math.max(m.peakRss, m.peakWithChildren ?? 0);
  lines.push([
    verdict(pglite.idleMemory.rss <= PGLITE_IDLE_MB * MB),
    `PGlite idle <= ${PGLITE_IDLE_MB} MB (new data directory)`,
    `${(pglite.idleMemory.rss / MB).toFixed(0)} MB`,
  ]);
  if (pglite.restartIdleMemory)
    lines.push([
      verdict(pglite.restartIdleMemory.rss <= PGLITE_IDLE_MB * MB),
      `PGlite idle <= ${PGLITE_IDLE_MB} MB (existing data directory)`,
      `${(pglite.restartIdleMemory.rss / MB).toFixed(0)} MB`,
    ]);
  lines.push([
    verdict(peak(pglite.idleMemory) <= PGLITE_PEAK_MB * MB),
    `PGlite peak <= ${PGLITE_PEAK_MB} MB (new data directory, with child processes)`,
    `${(peak(pglite.idleMemory) / MB).toFixed(0)} MB`,
  ]);
  const v = pglite.verification!;
  lines.push([
    verdict(v.lost === 0 && v.duplicated === 0 && v.logsStored === v.logsSent),
    "PGlite: nothing lost or doubled",
    `lost ${v.lost}, duplicated ${v.duplicated}, logs ${v.logsStored}/${v.logsSent}`,
  ]);
  console.log(heading("Issue 22 targets (bot on PostgreSQL against bare Bolt, same run; PGlite budgets)"));
  console.log(table(lines));
}

interface MemoryRow {
  label: string;
  idle: MemorySample;
  restart?: MemorySample;
}

/** Issue 14's budgets: PostgreSQL idle <= 150 MB; PGlite idle <= 250 MB and <= 400 MB at any moment. */
function printMemoryTargets(rows: MemoryRow[]) {
  const MB = 1_000_000;
  const lines: string[][] = [["budget (issue 14)", "measured", "target"]];
  const check = (what: string, bytes: number | undefined, limit: number) => {
    if (bytes === undefined) return;
    lines.push([what, `${mib(bytes)} (${(bytes / MB).toFixed(0)} MB)`, `${bytes <= limit * MB ? "met" : "MISSED"} (<= ${limit} MB)`]);
  };
  const pglite = rows.find((r) => r.label.includes("PGlite"));
  const postgres = rows.find((r) => r.label.includes("PostgreSQL"));
  const bare = rows.find((r) => r.label.startsWith("bare"));
  check("bare Bolt app, idle (for comparison)", bare?.idle.rss, Number.POSITIVE_INFINITY);
  check("PostgreSQL, idle (new database)", postgres?.idle.rss, 150);
  check("PostgreSQL, idle (existing database)", postgres?.restart?.rss, 150);
  check("PGlite, idle (new data directory)", pglite?.idle.rss, 250);
  check("PGlite, idle (existing data directory)", pglite?.restart?.rss, 250);
  // The peak counts the child process that prepares a new directory (src/database/prepareInChild.ts).
  const peak = (m: MemorySample | undefined) => m && Math.max(m.peakRss, m.peakWithChildren ?? 0);
  check("PGlite, peak (new data directory, start-up, with child processes)", peak(pglite?.idle), 400);
  check("PGlite, peak (existing data directory, start-up)", peak(pglite?.restart), 400);
  // Issue 22: against bare Bolt in the same run.
  for (const [what, m] of [
    ["new database", postgres?.idle],
    ["existing database", postgres?.restart],
  ] as const) {
    if (!m || !bare) continue;
    const r = m.rss / bare.idle.rss;
    lines.push([
      `PostgreSQL idle / bare Bolt idle (${what}, issue 22)`,
      ratio(r),
      `${r <= IDLE_RSS_RATIO_TARGET ? "PASS" : "FAIL"} (<= ${IDLE_RSS_RATIO_TARGET}×)`,
    ]);
  }
  console.log("\n" + table(lines.map((line) => (line[2]?.includes("Infinity") ? [line[0]!, line[1]!, "-"] : line))));
}

/**
 * BENCH_ONLY=memory: each server is started, left idle, measured and stopped, then restarted on the
 * same database (no initdb, no pending migration) and measured again. No load: about 30 s in all.
 */
async function memoryOnly(): Promise<void> {
  const rows: MemoryRow[] = [];
  const measure = async (label: string, database: DatabaseChoice | null) => {
    const slack = await FakeSlack.start();
    const github = await FakeGitHub.start();
    const config = () => serverConfig(database, slack, github);
    try {
      const once = async () => {
        progress(`${label}: starting`);
        const { server } = await ServerProcess.spawn(config(), label.replace(/\W+/g, "-"));
        try {
          return {
            ...(await server.request<MemorySample>({ op: "memory", settleMs: 1000 })),
            peakWithChildren: server.stopCombinedSampling(),
          };
        } finally {
          await server.stop();
        }
      };
      const idle = await once();
      rows.push({ label, idle, restart: database ? await once() : undefined });
    } finally {
      await Promise.all([slack.close(), github.close()]);
    }
  };
  await measure("bare Bolt app", null);
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "incident-bot-bench-"));
  try {
    await measure("ours, PGlite", { kind: "pglite", dataDir });
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  const postgres = await withPostgres((url) => measure("ours, PostgreSQL", { kind: "postgres", url }));
  console.log(heading("Memory of the server process (BENCH_ONLY=memory: start, idle, stop; then again on the same database)"));
  console.log(
    table([
      ["server", "idle RSS", "peak RSS (start-up)", "peak with child processes", "heapUsed", "external", "arrayBuffers"],
      ...rows.flatMap((r) =>
        [[r.label + (r.restart ? ", new" : ""), r.idle] as const, ...(r.restart ? [[`${r.label}, existing`, r.restart] as const] : [])].map(
          ([label, m]) => [
            label,
            mib(m.rss),
            mib(m.peakRss),
            mib(Math.max(m.peakRss, m.peakWithChildren ?? 0)),
            mib(m.heapUsed),
            mib(m.external),
            mib(m.arrayBuffers),
          ],
        ),
      ),
    ]),
  );
  if (typeof postgres === "string") console.log(`PostgreSQL: ${postgres}`);
  printMemoryTargets(rows);
}

function printColdStarts(coldStarts: ColdStart[]) {
  console.log(heading("5. Cold start: startBot() called -> first 200 from GET /health (new process each time)"));
  console.log(
    table([
      ["start", "startBot -> healthy", "startBot resolved", "node+tsx boot", "module import", "spawn -> healthy"],
      ...coldStarts.map((c) => [
        c.label,
        ms(c.ready.healthyMs, 0),
        ms(c.ready.startMs, 0),
        ms(c.ready.bootMs, 0),
        ms(c.ready.importMs, 0),
        ms(c.spawnToReadyMs, 0),
      ]),
    ]),
  );
  console.log("(bare Bolt app: app.start() instead of startBot, no /health route)");
}

// --- main ----------------------------------------------------------------------------------------

async function main() {
  const startedAt = performance.now();
  // The server runs the build, as `npm start` does (bench/server.js says why); `npm run bench` builds first.
  await access(path.join(projectRoot, "dist", "main.js")).catch(() => {
    throw new Error("bench/run.ts measures the build in dist/: run `npm run build` first (`npm run bench` does)");
  });
  if (ONLY === "memory") {
    console.log(`incident-bot memory (issue 14) — ${new Date().toISOString()}, node ${process.version}`);
    await memoryOnly();
    console.log(`\ntotal benchmark time ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    return;
  }
  const cpus = os.cpus();
  console.log(`incident-bot benchmarks (issue 6) — ${new Date().toISOString()}`);
  console.log(
    `node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? "cpu"}, ${mib(os.totalmem())} RAM, load average ${os.loadavg()[0]!.toFixed(2)}; ` +
      `BENCH_MESSAGES=${MESSAGES} BENCH_COMMANDS=${COMMANDS} BENCH_WARMUP=${WARMUP} BENCH_CONCURRENCY=${CONCURRENCY}`,
  );
  if (CPU_PROF) await mkdir(PROFILE_DIR, { recursive: true });

  progress("report compilation");
  const compile = await benchCompile();

  const coldStarts: ColdStart[] = [];
  const results: ScenarioResult[] = [];
  // Issue 22's comparison first, while the machine is as it was when the run began.
  const paired = await withPostgres((url) => runPaired(url, coldStarts));
  let postgresNote: string | undefined;
  if (typeof paired === "string") {
    postgresNote = paired;
    results.push(await runScenario("bare Bolt app", null, coldStarts));
  } else {
    results.push(paired.bare);
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), "incident-bot-bench-"));
  let pglite: ScenarioResult;
  try {
    pglite = await runScenario("ours, PGlite", { kind: "pglite", dataDir }, coldStarts, { restart: "ours, PGlite, existing data dir" });
    results.push(pglite);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  if (typeof paired !== "string") results.push(paired.postgres);

  printLoad(results, postgresNote);
  if (typeof paired !== "string") printRounds(paired.rounds);
  printCommands(results);
  printCompile(compile.results);
  printMemory(results);
  printColdStarts(coldStarts);

  if (CPU_PROF) {
    console.log(heading("CPU profiles"));
    const files = [...results.map((r) => profileFile(r.label)), ...(compile.profile ? [compile.profile] : [])];
    for (const file of files) {
      try {
        console.log(`\n${await summariseProfile(file)}`);
      } catch (error) {
        console.log(`\n${file}: ${(error as Error).message}`);
      }
    }
  }
  printTargets(paired, pglite);
  console.log(`\ntotal benchmark time ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
}

// Exit even if a stray socket or timer would keep the process alive; the timer is unref'd, so it
// fires only if something else is still holding the event loop.
main()
  .then(() => setTimeout(() => process.exit(0), 2000).unref())
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
    setTimeout(() => process.exit(1), 2000).unref();
  });
