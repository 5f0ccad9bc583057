// What `incident-bot start` checks before it does anything slow, cheapest first: PORT can be
// bound and DATA_DIR written (local, milliseconds), then the bot token and its scopes (one call to
// Slack), all before the database is opened or created. An essential failure stops start-up with
// one line naming the variable and the fix; missing scopes and an unusable GitHub configuration
// are warnings naming what will not work. `incident-bot doctor` runs these and more.
import type { Config } from "../config/index.js";
import type { Logger } from "../log.js";
import { StartupCheckFailed, type Check } from "./check.js";
import { checkGitHub } from "./github.js";
import { checkDataDir, checkPort } from "./local.js";
import type { BotIdentity } from "../slack/app.js";
import { checkBotToken } from "./slack.js";

/** Rejects with `message` if `work` has not settled within `ms`. */
async function within<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Slack's Web API gets this long to answer auth.test (its client would otherwise retry for half an hour). */
const SLACK_CHECK_TIMEOUT_MS = 30_000;

const stopOn = (check: Check) => {
  if (!check.ok) throw new StartupCheckFailed(check);
};

export interface StartupCheckOptions {
  /** The embedded database is handed in (tests): DATA_DIR is not used. */
  dataDirInUse: boolean;
}

/** The checks that must pass before the database is touched; resolves with who the bot is in Slack. */
export async function checkBeforeStart(config: Config, logger: Logger, options: StartupCheckOptions): Promise<BotIdentity> {
  stopOn(await checkPort(config.port));
  if (config.database.kind === "pglite" && options.dataDirInUse) stopOn(await checkDataDir(config.database.dataDir));
  const slackUrl = config.slack.apiUrl ?? "https://slack.com/api/";
  const bot = await within(
    checkBotToken(config),
    SLACK_CHECK_TIMEOUT_MS,
    `Slack's Web API did not answer auth.test within ${SLACK_CHECK_TIMEOUT_MS / 1000} s: ` +
      `check the network path to ${slackUrl} and SLACK_BOT_TOKEN.`,
  );
  stopOn(bot.token);
  if (bot.scopes && !bot.scopes.ok) logger.warn({ check: "slack scopes" }, `${bot.scopes.detail}. Fix: ${bot.scopes.fix}`);
  if (config.slack.mode === "http" && config.slack.modeInferred) {
    logger.warn(
      { inferredMode: "http" },
      `HTTP mode, because ${config.slack.modeReason}: Slack must send requests to https://<your host>/slack/events. ` +
        "If the app has Socket Mode on (manifest.json's default), nothing will arrive: " +
        "set SLACK_APP_TOKEN for Socket Mode, or SLACK_MODE=http to confirm HTTP mode.",
    );
  }
  return bot.identity!;
}

/** GitHub's checks, logged as warnings: run beside the database's opening, which takes longer. */
export async function warnAboutGitHub(config: Config, logger: Logger): Promise<void> {
  if (!config.github.token) return;
  try {
    for (const check of await checkGitHub(config, logger)) {
      if (!check.ok)
        logger.warn(
          { check: check.label },
          `${check.label}: ${check.detail}; action items and publishing will not reach GitHub. Fix: ${check.fix}`,
        );
    }
  } catch (error) {
    logger.warn({ err: error }, "GitHub's configuration could not be checked; action items will be retried as usual");
  }
}
