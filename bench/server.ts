// The process under test, spawned by bench/run.ts: either the real bot (startBot from src/main.ts,
// exactly as the test harness starts it) or a bare Bolt app, both against the fakes that run.ts
// serves on 127.0.0.1. It answers requests over IPC (see protocol.ts) and samples its own RSS.
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";
import { SIGNING_SECRET } from "../test/support/slackRequests.js";
import type { EntriesSummary, MemorySample, ReadyMessage, Reply, Request, RssSummary, ServerConfig } from "./protocol.js";
import { SERVER_CONFIG_VARIABLE } from "./protocol.js";

const bootMs = performance.now();
const config = JSON.parse(process.env[SERVER_CONFIG_VARIABLE] ?? "null") as ServerConfig | null;
if (!config || !process.send) throw new Error("bench/server.ts is started by bench/run.ts");

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The kernel's high-water mark of this process's RSS. Sampling cannot replace it: PGlite's initdb
 * and the schema engine run long stretches of synchronous WebAssembly, during which no timer fires.
 */
const peakRss = () => Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? Number.NaN) * 1024;

const memory = (): MemorySample => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, peakRss: peakRss() };
};

interface Target {
  port: number;
  idle(): Promise<void>;
  stop(): Promise<void>;
  incident?(): Promise<{ id: string; channelId: string } | null>;
  entries?(incidentId: string): Promise<EntriesSummary>;
}

async function waitHealthy(port: number): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
}

async function startTarget(config: ServerConfig): Promise<{ target: Target; timings: Omit<ReadyMessage, "type" | "port" | "bootMs"> }> {
  if (config.mode === "bare") {
    const importStart = performance.now();
    const { App, LogLevel } = await import("@slack/bolt");
    const importMs = performance.now() - importStart;
    const started = performance.now();
    const app = new App({
      token: "xoxb-bench-token",
      signingSecret: SIGNING_SECRET,
      processBeforeResponse: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: config.slackApiUrl },
    });
    app.event("message", async () => {});
    app.command("/incident", async ({ ack }) => {
      await ack();
    });
    const server = (await app.start(0)) as import("node:http").Server;
    const startMs = performance.now() - started;
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    return {
      target: { port, idle: async () => {}, stop: () => app.stop() as Promise<void> },
      timings: { importMs, startMs, healthyMs: startMs },
    };
  }

  const importStart = performance.now();
  const [{ loadConfig }, { startBot }, { pino }] = await Promise.all([
    import("../src/config/index.js"),
    import("../src/main.js"),
    import("pino"),
  ]);
  const importMs = performance.now() - importStart;
  const botConfig = loadConfig({
    SLACK_BOT_TOKEN: "xoxb-bench-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: config.slackApiUrl,
    PORT: "0",
    GITHUB_TOKEN: "ghp_test",
    GITHUB_REPOSITORY: "acme/incidents",
    GITHUB_API_URL: config.githubUrl,
    REPORTS_REPOSITORY: "acme/incident-reports",
    TIMEZONE: "Europe/London",
    LOG_LEVEL: "silent",
    ...(config.database.kind === "postgres" ? { DATABASE_URL: config.database.url } : { DATA_DIR: config.database.dataDir }),
  });
  const started = performance.now();
  const bot = await startBot(botConfig, { logger: pino({ level: "silent" }), githubRetryBaseMs: 20 });
  const startMs = performance.now() - started;
  await waitHealthy(bot.port);
  const healthyMs = performance.now() - started;
  const store = bot.deps.incidents;
  return {
    target: {
      port: bot.port,
      idle: () => bot.idle(),
      stop: () => bot.stop(),
      async incident() {
        const [incident] = await store.listIncidents({ open: true });
        return incident ? { id: incident.id, channelId: incident.channelId } : null;
      },
      async entries(incidentId) {
        const entries = await store.listEntries(incidentId);
        const byKind: Record<string, number> = {};
        const messageTs: string[] = [];
        for (const entry of entries) {
          byKind[entry.kind] = (byKind[entry.kind] ?? 0) + 1;
          if (entry.kind === "message" && entry.ts) messageTs.push(entry.ts);
        }
        return { total: entries.length, byKind, messageTs };
      },
    },
    timings: { importMs, startMs, healthyMs },
  };
}

const { target, timings } = await startTarget(config);
const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, undefined, {}, () => resolve()));
await send({ type: "ready", port: target.port, bootMs, ...timings } satisfies ReadyMessage);

let profiler: Session | undefined;
let sampler:
  | { timer: NodeJS.Timeout; peakRss: number; sumRss: number; samples: number; peakHeapUsed: number; cpu: NodeJS.CpuUsage; startedAt: number }
  | undefined;
const sample = () => {
  if (!sampler) return;
  const m = process.memoryUsage();
  sampler.peakRss = Math.max(sampler.peakRss, m.rss);
  sampler.peakHeapUsed = Math.max(sampler.peakHeapUsed, m.heapUsed);
  sampler.sumRss += m.rss;
  sampler.samples++;
};

async function handle(request: Request): Promise<unknown> {
  switch (request.op) {
    case "idle":
      return target.idle();
    case "memory":
      await target.idle();
      if (request.settleMs) await sleep(request.settleMs);
      return memory();
    case "rssStart":
      if (sampler) clearInterval(sampler.timer);
      sampler = {
        timer: setInterval(sample, request.everyMs),
        peakRss: 0,
        sumRss: 0,
        samples: 0,
        peakHeapUsed: 0,
        cpu: process.cpuUsage(),
        startedAt: performance.now(),
      };
      sample();
      return null;
    case "rssStop": {
      sample();
      const s = sampler;
      if (!s) throw new Error("rssStart was not called");
      clearInterval(s.timer);
      sampler = undefined;
      const cpu = process.cpuUsage(s.cpu);
      return {
        peakRss: s.peakRss,
        meanRss: s.sumRss / s.samples,
        samples: s.samples,
        peakHeapUsed: s.peakHeapUsed,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        wallMs: performance.now() - s.startedAt,
      } satisfies RssSummary;
    }
    case "cpu":
      return process.cpuUsage();
    case "profileStart":
      profiler = new Session();
      profiler.connect();
      await profiler.post("Profiler.enable");
      await profiler.post("Profiler.setSamplingInterval", { interval: 200 });
      await profiler.post("Profiler.start");
      return null;
    case "profileStop": {
      if (!profiler) throw new Error("profileStart was not called");
      const { profile } = await profiler.post("Profiler.stop");
      profiler.disconnect();
      profiler = undefined;
      await writeFile(request.file, JSON.stringify(profile));
      return request.file;
    }
    case "incident":
      return target.incident ? target.incident() : null;
    case "entries":
      if (!target.entries) throw new Error("the bare app stores nothing");
      return target.entries(request.incidentId);
    case "stop":
      if (sampler) clearInterval(sampler.timer);
      await target.stop();
      return null;
  }
}

process.on("message", (raw: { id: number } & Request) => {
  void handle(raw)
    .then(
      (result) => ({ type: "reply", id: raw.id, ok: true, result }) satisfies Reply,
      (error: unknown) => ({ type: "reply", id: raw.id, ok: false, error: error instanceof Error ? error.stack ?? error.message : String(error) }) satisfies Reply,
    )
    .then(async (reply) => {
      await send(reply);
      // Exit explicitly: idle keep-alive sockets of the Web API client would otherwise hold the
      // process, and --cpu-prof writes its profile on exit.
      if (raw.op === "stop") process.exit(0);
    });
});
// run.ts going away (Ctrl-C, a crash) takes this process with it.
process.on("disconnect", () => process.exit(1));
