// What requests nobody signed cost the bot: its peak RSS while 200 clients at once keep sending
// 4 MiB bodies to POST /slack/events, and whether requests Slack signed are still answered meanwhile.
// Two floods: bodies without Slack's headers at all, and bodies with a fresh timestamp and a
// well-formed but wrong signature (which cannot be refused before the body is read). Prints figures;
// asserts nothing (the refusals themselves are tested in test/e2e/unverifiedRequests.test.ts).
//
//   npm run build && npx tsx bench/unverifiedFlood.ts
//
// Environment: BENCH_BOT_CLI (the CLI to run, default dist/cli.js: compare another build with it),
// BENCH_FLOOD_CLIENTS (200), BENCH_FLOOD_SECONDS (10), BENCH_RSS_BUDGET_MB (400).
// The bot runs as `npm start` runs it (node --max-semi-space-size=4 --expose-gc dist/cli.js start), in HTTP
// mode on a new embedded database, against the fake Slack this process serves on 127.0.0.1.
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { Agent, request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { FakeSlack } from "../test/support/fakeSlack.js";
import { eventBody, sendSigned, signature, SIGNING_SECRET, slashCommandBody } from "../test/support/slackRequests.js";
import { heading, median, mib, ms, num, percentile, table } from "./stats.js";

const intFromEnv = (name: string, fallback: number) => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};
const CLIENTS = intFromEnv("BENCH_FLOOD_CLIENTS", 200);
const SECONDS = intFromEnv("BENCH_FLOOD_SECONDS", 10);
const BUDGET_MB = intFromEnv("BENCH_RSS_BUDGET_MB", 400);
const BODY_BYTES = 4 * 1024 * 1024;
const CHUNK = 64 * 1024;
const projectRoot = path.resolve(import.meta.dirname, "..");
const cli = path.resolve(process.env.BENCH_BOT_CLI ?? path.join(projectRoot, "dist", "cli.js"));
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

const status = (pid: number, field: "VmRSS" | "VmHWM") =>
  Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) * 1024;

// One body for every request: the flood costs this process 4 MiB, not 4 MiB per client.
const floodEvent = { type: "message", channel: "C0NOWHERE", user: "UEVE", text: "x".repeat(BODY_BYTES - 400), ts: "1.000001" };
const floodBody = Buffer.from(eventBody(floodEvent).padEnd(BODY_BYTES, " "));

type Flood = "unsigned" | "wrong signature";

/** One flood request: the whole body as fast as the bot takes it; resolves with the status, or how it ended. */
function floodRequest(port: number, agent: Agent, kind: Flood): Promise<string> {
  return new Promise((resolve) => {
    const timestamp = Math.floor(Date.now() / 1000);
    const headers: Record<string, string | number> = { "content-type": "application/json", "content-length": floodBody.length };
    if (kind === "wrong signature") {
      headers["x-slack-request-timestamp"] = timestamp;
      headers["x-slack-signature"] = signature(`not the body ${Math.random()}`, timestamp);
    }
    const req = request({ host: "127.0.0.1", port, method: "POST", path: "/slack/events", headers, agent }, (res) => {
      res.resume();
      res.on("end", () => resolve(String(res.statusCode)));
      res.on("error", () => resolve(String(res.statusCode)));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
    let sent = 0;
    const pump = () => {
      while (sent < floodBody.length) {
        const chunk = floodBody.subarray(sent, sent + CHUNK);
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

async function startBot(slack: FakeSlack, dataDir: string) {
  const child = spawn(process.execPath, ["--max-semi-space-size=4", "--expose-gc", cli, "start"], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      SLACK_BOT_TOKEN: "xoxb-bench",
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: "0",
      DATA_DIR: dataDir,
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  for (let waited = 0; !output.includes('"mode"'); waited += 100) {
    if (child.exitCode !== null || waited > 180_000) throw new Error(`the bot did not start: ${output}`);
    await sleep(100);
  }
  const port = (JSON.parse(output.split("\n").find((l) => l.includes('"mode"'))!) as { port: number }).port;
  return { child, port };
}

interface FloodResult {
  kind: Flood;
  idleRss: number;
  peakRss: number;
  statuses: Map<string, number>;
  signedSent: number;
  signedOk: number;
  signedLatencies: number[];
}

async function flood(pid: number, port: number, kind: Flood, channel: string): Promise<FloodResult> {
  await sleep(2_000);
  const idleRss = status(pid, "VmRSS");
  // Resets the kernel's high-water mark of the bot's RSS, so VmHWM afterwards is this flood's peak.
  writeFileSync(`/proc/${pid}/clear_refs`, "5");
  const agent = new Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  const statuses = new Map<string, number>();
  const until = Date.now() + SECONDS * 1000;
  const client = async () => {
    while (Date.now() < until) {
      const result = await floodRequest(port, agent, kind);
      statuses.set(result, (statuses.get(result) ?? 0) + 1);
    }
  };
  // Meanwhile Slack's own requests: a signed message event every 100 ms, each given 10 s.
  let signedSent = 0;
  let signedOk = 0;
  const signedLatencies: number[] = [];
  const probes: Promise<void>[] = [];
  const eventsUrl = `http://127.0.0.1:${port}/slack/events`;
  const prober = (async () => {
    for (let n = 0; Date.now() < until; n++) {
      const ts = `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, "0")}`;
      const started = performance.now();
      signedSent++;
      probes.push(
        sendSigned(eventsUrl, eventBody({ type: "message", channel, user: "UBOB", text: `still here ${n}`, ts }), "application/json", {
          signal: AbortSignal.timeout(10_000),
        })
          .then(async (response) => {
            await response.arrayBuffer();
            if (response.status === 200) {
              signedOk++;
              signedLatencies.push(performance.now() - started);
            }
          })
          .catch(() => {}),
      );
      await sleep(100);
    }
  })();
  await Promise.all([...Array.from({ length: CLIENTS }, client), prober]);
  await Promise.all(probes);
  agent.destroy();
  return { kind, idleRss, peakRss: status(pid, "VmHWM"), statuses, signedSent, signedOk, signedLatencies };
}

const slack = await FakeSlack.start();
const dataDir = await mkdtemp(path.join(tmpdir(), "incident-bot-bench-flood-"));
const { child, port } = await startBot(slack, dataDir);
const declaration = slashCommandBody({ text: "declare Flood drill sev3", response_url: slack.responseUrl() });
await sendSigned(`http://127.0.0.1:${port}/slack/events`, declaration, "application/x-www-form-urlencoded");
let channel: string | undefined;
for (let waited = 0; !channel && waited < 30_000; waited += 100) {
  // The new channel is where the bot pins its header.
  channel = slack
    .callsTo("pins.add")
    .map((c) => String(c.params.channel))
    .find(Boolean);
  await sleep(100);
}
if (!channel) throw new Error("the incident channel was not created");
await sleep(1_000);

const results: FloodResult[] = [];
for (const kind of ["unsigned", "wrong signature"] as const) {
  process.stderr.write(`· ${CLIENTS} clients sending ${kind} 4 MiB bodies for ${SECONDS} s\n`);
  results.push(await flood(child.pid!, port, kind, channel));
}
child.kill("SIGTERM");
await new Promise((resolve) => child.on("exit", resolve));
await slack.close();
await rm(dataDir, { recursive: true, force: true });

const built = path.relative(projectRoot, cli) || cli;
console.log(heading(`Unverified floods: ${CLIENTS} concurrent clients, 4 MiB bodies, ${SECONDS} s each (${built})`));
console.log(
  table([
    ["flood", "idle RSS", "peak RSS", `within ${BUDGET_MB} MB`, "flood answers", "signed answered", "signed p50", "signed p99"],
    ...results.map((r) => [
      r.kind,
      mib(r.idleRss),
      mib(r.peakRss),
      r.peakRss <= BUDGET_MB * 1e6 ? "yes" : "NO",
      [...r.statuses]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([s, n]) => `${s}×${num(n)}`)
        .join(" "),
      `${num(r.signedOk)}/${num(r.signedSent)}`,
      ms(median(r.signedLatencies)),
      ms(percentile(r.signedLatencies, 0.99)),
    ]),
  ]),
);
