// @ts-check
// The process under test, spawned by bench/run.ts: either the real bot (startBot from dist/main.js,
// the build `npm start` runs) or a bare Bolt app, both against the fakes that run.ts serves on
// 127.0.0.1. It answers requests over IPC (see protocol.ts) and samples its own RSS.
//
// Plain JavaScript run by plain `node`, not TypeScript through tsx: tsx's loader (a thread of its
// own, compiled sources, source maps) added 90 MiB to the bot's RSS and 20 MiB to the bare app's,
// which no deployment pays. The messages it exchanges are typed in protocol.ts.
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { Session } from "node:inspector/promises";

/** @typedef {import("./protocol.js").MemorySample} MemorySample */
/** @typedef {import("./protocol.js").ServerConfig} ServerConfig */
/** @typedef {import("./protocol.js").RssSummary} RssSummary */

const bootMs = performance.now();
/** protocol.ts's SERVER_CONFIG_VARIABLE */
/** @type {ServerConfig | null} */
const config = JSON.parse(process.env.INCIDENT_BOT_BENCH_SERVER ?? "null");
if (!config || !process.send) throw new Error("bench/server.ts is started by bench/run.ts");

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The kernel's high-water mark of this process's RSS. Sampling cannot replace it: PGlite's initdb
 * and the schema engine run long stretches of synchronous WebAssembly, during which no timer fires.
 */
const peakRss = () => Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync("/proc/self/status", "utf8"))?.[1] ?? Number.NaN) * 1024;

/** @returns {MemorySample} */
const memory = () => {
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, peakRss: peakRss() };
};

/** @param {number} port */
async function waitHealthy(port) {
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

/** @param {ServerConfig} config */
async function startTarget(config) {
  if (config.mode === "bare") {
    const importStart = performance.now();
    const { App, LogLevel } = await import("@slack/bolt");
    const importMs = performance.now() - importStart;
    const started = performance.now();
    const app = new App({
      token: "xoxb-bench-token",
      signingSecret: config.signingSecret,
      processBeforeResponse: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: config.slackApiUrl },
    });
    app.event("message", async () => {});
    app.command("/incident", async ({ ack }) => {
      await ack();
    });
    /** @type {import("node:http").Server} */
    const server = await app.start(0);
    const startMs = performance.now() - started;
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    return {
      target: { port, idle: async () => {}, stop: () => app.stop() },
      timings: { importMs, startMs, healthyMs: startMs },
    };
  }

  const importStart = performance.now();
  const [{ loadConfig }, { startBot }, { pino }] = await Promise.all([
    import("../dist/config/index.js"),
    import("../dist/main.js"),
    import("pino"),
  ]);
  const importMs = performance.now() - importStart;
  const botConfig = loadConfig({
    SLACK_BOT_TOKEN: "xoxb-bench-token",
    SLACK_SIGNING_SECRET: config.signingSecret,
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
      /** @param {string} incidentId */
      async entries(incidentId) {
        const entries = await store.listEntries(incidentId);
        /** @type {Record<string, number>} */
        const byKind = {};
        /** @type {string[]} */
        const messageTs = [];
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
/** @param {unknown} message */
const send = (message) => new Promise((resolve) => process.send?.(message, undefined, {}, () => resolve(undefined)));
await send({ type: "ready", port: target.port, bootMs, ...timings });

/** @type {Session | undefined} */
let profiler;
/**
 * @type {{
 *   timer: NodeJS.Timeout; peakRss: number; sumRss: number; samples: number; peakHeapUsed: number;
 *   cpu: NodeJS.CpuUsage; startedAt: number;
 * } | undefined}
 */
let sampler;
const sample = () => {
  if (!sampler) return;
  const m = process.memoryUsage();
  sampler.peakRss = Math.max(sampler.peakRss, m.rss);
  sampler.peakHeapUsed = Math.max(sampler.peakHeapUsed, m.heapUsed);
  sampler.sumRss += m.rss;
  sampler.samples++;
};

/** @param {import("./protocol.js").Request} request */
async function handle(request) {
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
      };
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

process.on("message", (/** @type {{ id: number } & import("./protocol.js").Request} */ raw) => {
  void handle(raw)
    .then(
      (result) => ({ type: "reply", id: raw.id, ok: true, result }),
      (error) => ({ type: "reply", id: raw.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
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
