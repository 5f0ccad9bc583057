// How long the CLI takes on the embedded database while a bot owns it (the command goes through
// the bot's admin socket) and when no bot runs (the CLI opens the data directory itself). Prints
// figures; asserts nothing.
//
//   npx tsx bench/cliBesideBot.ts        (BENCH_CLI_RUNS: 20)
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { main } from "../src/cli/main.js";
import { FakeSlack } from "../test/support/fakeSlack.js";
import { sendSigned, SIGNING_SECRET, slashCommandBody } from "../test/support/slackRequests.js";
import { median, percentile } from "./stats.js";

const runs = Number(process.env.BENCH_CLI_RUNS ?? 20);
const slack = await FakeSlack.start();
const dataDir = await mkdtemp(path.join(tmpdir(), "incident-bot-bench-cli-"));
const env = { DATA_DIR: dataDir, TIMEZONE: "Europe/London", LOG_LEVEL: "silent" };
const quiet = { out: () => {}, err: (text: string) => void process.stderr.write(text) };

async function time(args: string[]): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const code = await main(args, quiet, env);
    if (code !== 0) throw new Error(`incident-bot ${args.join(" ")} exited ${code}`);
    samples.push(performance.now() - started);
  }
  return samples;
}

const bot = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", "start"], {
  env: {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    SLACK_BOT_TOKEN: "xoxb-bench",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
    ...env,
    LOG_LEVEL: "info",
  },
});
let output = "";
bot.stdout.on("data", (d: Buffer) => (output += d.toString()));
while (!output.includes('"mode"')) await new Promise((r) => setTimeout(r, 100));
const port = (JSON.parse(output.split("\n").find((l) => l.includes('"mode"'))!) as { port: number }).port;
await sendSigned(
  `http://127.0.0.1:${port}/slack/events`,
  slashCommandBody({ text: "declare Bench incident sev3", response_url: slack.responseUrl() }),
  "application/x-www-form-urlencoded",
);
// Wait until the declaration is stored (the command is answered after its ack).
while ((await main(["report", "1"], { out: () => {}, err: () => {} }, env)) !== 0) await new Promise((r) => setTimeout(r, 100));

const beside = await time(["report", "1"]);
bot.kill("SIGTERM");
await new Promise((resolve) => bot.on("exit", resolve));
const alone = await time(["report", "1"]);

const show = (label: string, samples: number[]) => {
  console.log(
    `${label.padEnd(34)} median ${median(samples).toFixed(1)} ms   p90 ${percentile(samples, 0.9).toFixed(1)} ms   (${runs} runs)`,
  );
};
show("report 1, through the running bot", beside);
show("report 1, alone (opens PGlite)", alone);
await slack.close();
await rm(dataDir, { recursive: true, force: true });
