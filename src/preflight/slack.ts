// Checks of the Slack configuration against Slack itself: the bot token (auth.test) and the
// scopes it was granted (Slack's x-oauth-scopes header, which the Web API client exposes as
// response_metadata.scopes), the app-level token (apps.connections.open), and the channels the
// configuration names (conversations.info). Used by start-up and by `incident-bot doctor`.
import { LogLevel, WebClient, type WebAPICallResult } from "@slack/web-api";
import type { Config } from "../config/index.js";
import type { BotIdentity } from "../slack/app.js";
import { slackErrorCode } from "../slack/refusals.js";
import { failed, passed, type Check } from "./check.js";
import { describeScope, readManifest } from "./manifest.js";

/** Errors auth.test gives for a token Slack will not accept (as opposed to Slack being unreachable). */
const REFUSED_TOKEN = new Set([
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "account_inactive",
  "not_allowed_token_type",
  "invalid_token",
]);

const REINSTALL =
  "add them to the app (update it from manifest.json, or OAuth & Permissions -> Scopes), then reinstall it to the workspace (Install App)";

/** A client for checks: a few quick retries, not the half hour the bot's own client allows. */
export function checkingClient(config: Pick<Config, "slack">, token?: string): WebClient {
  return new WebClient(token, {
    ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
    retryConfig: { retries: 2, factor: 1, minTimeout: 500, maxTimeout: 1_000 },
    timeout: 10_000,
    rejectRateLimitedCalls: false,
    // Each check reports its own failure in one line; the client's retries would only repeat it.
    logLevel: LogLevel.ERROR,
  });
}

function unreachable(label: string, config: Pick<Config, "slack">, error: unknown): Check {
  const url = config.slack.apiUrl ?? "https://slack.com/api/";
  const cause = (error as { original?: Error }).original?.message ?? (error as Error).message;
  return failed(
    label,
    `Slack's Web API at ${url} did not answer (${cause})`,
    "check the network path to Slack (proxy, firewall), and SLACK_API_URL if set",
  );
}

export interface BotTokenResult {
  token: Check;
  /** Absent when the token was not accepted. */
  scopes?: Check;
  identity?: BotIdentity;
}

/** auth.test with SLACK_BOT_TOKEN, and the scopes it carries against those manifest.json asks for. */
export async function checkBotToken(config: Pick<Config, "slack">): Promise<BotTokenResult> {
  const label = "SLACK_BOT_TOKEN";
  let result: WebAPICallResult & { user_id?: string; bot_id?: string; team?: string; user?: string };
  try {
    result = await checkingClient(config, config.slack.botToken).auth.test();
  } catch (error) {
    const code = slackErrorCode(error);
    if (code && REFUSED_TOKEN.has(code)) {
      return {
        token: failed(
          label,
          `was refused by Slack (${code})`,
          "copy the Bot User OAuth Token (xoxb-...) from OAuth & Permissions; if it was revoked, reinstall the app first",
        ),
      };
    }
    if (code)
      return { token: failed(label, `auth.test failed (${code})`, "copy the Bot User OAuth Token (xoxb-...) from OAuth & Permissions") };
    return { token: unreachable(label, config, error) };
  }
  const identity: BotIdentity = {
    userId: result.user_id ?? "",
    botId: result.bot_id ?? "",
    team: result.team ?? "",
    user: result.user ?? "",
  };
  const token = passed(label, `accepted: ${identity.user} in ${identity.team}`);
  const granted = result.response_metadata?.scopes;
  const wanted = readManifest().botScopes;
  if (!granted)
    return {
      token,
      identity,
      scopes: failed(
        "Slack scopes",
        "Slack did not say which scopes the token has",
        "none needed if the bot works; else reinstall the app",
        false,
      ),
    };
  const missing = wanted.filter((scope) => !granted.includes(scope));
  const scopes =
    missing.length === 0
      ? passed("Slack scopes", `all ${wanted.length} scopes manifest.json asks for are granted`)
      : failed("Slack scopes", `the token lacks ${missing.map(describeScope).join(", ")}: that will not work`, REINSTALL);
  return { token, identity, scopes };
}

/** Socket Mode: SLACK_APP_TOKEN may open a connection. The URL Slack hands out is not used, so no connection is left open. */
export async function checkAppToken(config: Pick<Config, "slack">): Promise<Check> {
  const label = "SLACK_APP_TOKEN";
  try {
    await checkingClient(config, config.slack.appToken).apps.connections.open();
    return passed(label, "may open Socket Mode connections");
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === "not_allowed_token_type" || (code && REFUSED_TOKEN.has(code))) {
      return failed(
        label,
        `was refused by Slack (${code})`,
        "generate an app-level token with the connections:write scope under Basic Information -> App-Level Tokens",
      );
    }
    if (code === "missing_scope")
      return failed(
        label,
        "lacks connections:write (missing_scope)",
        "generate an app-level token with the connections:write scope under Basic Information -> App-Level Tokens",
      );
    if (code)
      return failed(
        label,
        `apps.connections.open failed (${code})`,
        "turn Socket Mode on under Settings -> Socket Mode, or set SLACK_MODE=http for HTTP mode",
      );
    return unreachable(label, config, error);
  }
}

/** The channels the configuration names, by variable. A new channel setting is added here. */
export function configuredChannels(config: Config): { variable: string; id: string }[] {
  return [
    { variable: "INCIDENTS_CHANNEL", id: config.assemble.incidentsChannelId },
    { variable: "UPDATES_CHANNEL", id: config.updates.channelId },
  ].filter((c): c is { variable: string; id: string } => Boolean(c.id));
}

/** The channel exists and the bot is a member (conversations.info's is_member). */
export async function checkChannel(config: Pick<Config, "slack">, variable: string, id: string): Promise<Check> {
  const label = `${variable} (${id})`;
  try {
    const { channel } = (await checkingClient(config, config.slack.botToken).conversations.info({ channel: id })) as {
      channel?: { name?: string; is_member?: boolean; is_archived?: boolean };
    };
    if (channel?.is_archived) return failed(label, `#${channel.name} is archived`, `unarchive it, or set ${variable} to another channel`);
    if (!channel?.is_member)
      return failed(
        label,
        `the bot is not a member of #${channel?.name ?? id}`,
        `invite it: /invite @incident-bot in #${channel?.name ?? id}`,
      );
    return passed(label, `#${channel.name}, the bot is a member`);
  } catch (error) {
    const code = slackErrorCode(error);
    if (code === "channel_not_found")
      return failed(
        label,
        "no such channel the bot can see",
        `set ${variable} to the id under the channel's details (C…); for a private channel, invite the bot first`,
      );
    if (code === "not_in_channel") return failed(label, "the bot is not a member", `invite it: /invite @incident-bot in that channel`);
    if (code === "missing_scope") {
      const needed = (error as { data?: { needed?: string } }).data?.needed;
      return failed(
        label,
        `cannot be checked: the token lacks ${needed ?? "a scope"} (missing_scope)`,
        REINSTALL.replace("add them", "add it"),
      );
    }
    if (code) return failed(label, `conversations.info failed (${code})`, `check ${variable}`);
    return unreachable(label, config, error);
  }
}
