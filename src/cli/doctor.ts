// `incident-bot doctor`: checks a configuration against the real services and this machine, one
// line per check (✓ or ✗, each ✗ with its fix), and exits non-zero when anything essential fails.
// Newcomers run it first. It reads what start-up reads, changes nothing, and never opens the
// embedded database beside a running bot (it asks the bot, see src/preflight/local.ts).
import { ConfigError, loadConfig, type Config } from "../config/index.js";
import { createLogger } from "../log.js";
import { formatCheck, passed, failed, type Check } from "../preflight/check.js";
import { checkGitHub } from "../preflight/github.js";
import { checkDatabase, checkDataDir, checkPort, checkTimeZone } from "../preflight/local.js";
import { checkAppToken, checkBotToken, checkChannel, configuredChannels } from "../preflight/slack.js";
import type { CliIO } from "./io.js";

export const DOCTOR_SUMMARY = "check the configuration against Slack, GitHub, the database and this machine, one line per check";

/** PORT in use may be the bot itself: then it is not a problem. */
async function checkPortOrRunningBot(port: number): Promise<Check> {
  const check = await checkPort(port);
  if (check.ok || !/in use/.test(check.detail)) return check;
  const live = await fetch(`http://127.0.0.1:${port}/health/live`, { signal: AbortSignal.timeout(2_000) })
    .then(async (response) => response.ok && ((await response.json()) as { service?: string }).service === "incident-bot")
    .catch(() => false);
  return live ? passed(`PORT ${port}`, "in use by a running incident-bot (it answers /health/live)") : check;
}

async function slackChecks(config: Config): Promise<Check[]> {
  const bot = await checkBotToken(config);
  const lines = [bot.token, ...(bot.scopes ? [bot.scopes] : [])];
  if (config.slack.mode === "socket") lines.push(await checkAppToken(config));
  else
    lines.push(
      passed("SLACK_SIGNING_SECRET", `set; HTTP mode (${config.slack.modeReason}): Slack must reach https://<your host>/slack/events`),
    );
  // Channels can only be looked at with a token Slack accepts.
  if (bot.token.ok) lines.push(...(await Promise.all(configuredChannels(config).map((c) => checkChannel(config, c.variable, c.id)))));
  return lines;
}

export async function runDoctor(io: CliIO, env: NodeJS.ProcessEnv): Promise<number> {
  const startedAt = performance.now();
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const problem of error.problems) io.out(`✗ ${problem}\n`);
    io.out(`Configuration: ${error.problems.length} problem(s); nothing else was checked. See .env.example for every setting.\n`);
    return 1;
  }
  io.out(`Slack: ${config.slack.mode === "socket" ? "Socket Mode" : "HTTP mode"} (${config.slack.modeReason})\n`);
  const logger = createLogger("silent", process.stderr, "json");
  const [slack, github, local] = await Promise.all([
    slackChecks(config),
    checkGitHub(config, logger).catch((error: unknown) => [
      failed("GitHub", `could not be checked (${(error as Error).message})`, "check GITHUB_API_URL and the network path to GitHub"),
    ]),
    Promise.all([
      checkDatabase(config.database),
      ...(config.database.kind === "pglite" ? [checkDataDir(config.database.dataDir)] : []),
      checkPortOrRunningBot(config.port),
      Promise.resolve(checkTimeZone(config)),
    ]),
  ]);
  const checks = [...slack, ...github, ...local];
  for (const check of checks) io.out(`${formatCheck(check)}\n`);
  const essential = checks.filter((c) => !c.ok && c.essential).length;
  const warnings = checks.filter((c) => !c.ok && !c.essential).length;
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  io.out(
    essential > 0
      ? `${essential} essential check(s) failed${warnings ? `, ${warnings} warning(s)` : ""} (${checks.length} checks in ${seconds} s): ` +
          "fix the ✗ lines above, then run doctor again.\n"
      : `All essential checks passed${warnings ? ` (${warnings} warning(s))` : ""}: ${checks.length} checks in ${seconds} s.\n`,
  );
  return essential > 0 ? 1 : 0;
}
