// `incident-bot` as a separate process, for what only a real process shows: start-up and exit
// codes, signals, kill -9, and two processes on one data directory. Everything else calls the
// CLI in-process through `main(argv, io, env)` (see runCli below), which is much faster.
import { spawn } from "node:child_process";
import path from "node:path";
import { main } from "../../src/cli/main.js";

const projectRoot = path.resolve(import.meta.dirname, "../..");

export function spawnCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli.ts", ...args], {
    cwd: projectRoot,
    // No inherited Slack or database settings: each test states the environment it means.
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", NODE_OPTIONS: "", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => ({ stdout, stderr }) };
}

/** Runs one command line in this process; what it printed and its exit code. */
export async function runCli(args: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const code = await main(args, { out: (text) => void (stdout += text), err: (text) => void (stderr += text) }, env);
  return { code, stdout, stderr };
}
