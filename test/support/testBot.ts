// The production bot (built by the same startBot that `incident-bot start` uses) on a random port,
// against fake Slack and fake GitHub on 127.0.0.1, with a fresh database. Tests talk to it only
// as Slack does: signed HTTP requests into the real Bolt receiver. A message or modal that a
// builder let past Slack's limits (cut by the sender's last line, src/slack/text.ts) fails the
// test when the bot stops: the fake never sees it, because the bot cut it, so the log is where it shows.
import { pino, type Level } from "pino";
import type { Incident } from "../../src/incidents/model.js";
import { loadConfig } from "../../src/config/index.js";
import { ActionIds } from "../../src/slack/ids.js";
import { startBot, type RunningBot, type StartOptions } from "../../src/main.js";
import { LIMIT_CUT } from "../../src/slack/text.js";
import { FakeGitHub } from "./fakeGitHub.js";
import { FakeSlack } from "./fakeSlack.js";
import type { OpenedView } from "./fakeSlackMembers.js";
import {
  eventBody,
  interactionBody,
  sendSigned,
  SIGNING_SECRET,
  slashCommandBody,
  type SendOptions,
  type SlashCommandInput,
} from "./slackRequests.js";
import { createTestDatabase, type TestDatabase } from "./testDatabase.js";
import { stringParam } from "./wireParams.js";

/** The secret the test bot's GitHub webhook is set up with (GITHUB_WEBHOOK_SECRET). */
export const GITHUB_WEBHOOK_SECRET = "whsec-test-7f3a9c1e5b2d";

/** One log record: pino's level (40 warn, 50 error), its message, and its fields. */
export interface LogEntry {
  level: number;
  msg: string;
  err?: { stack?: string };
  [field: string]: unknown;
}

export interface TestBotOptions {
  database?: TestDatabase;
  slack?: FakeSlack;
  github?: FakeGitHub;
  env?: Record<string, string>;
  now?: () => Date;
  /** Socket Mode timings, when env sets SLACK_APP_TOKEN. */
  socketMode?: StartOptions["socketMode"];
  /** The bot's logger (default: standard output at TEST_LOG_LEVEL, silent unless set; a test that reads the log hands in its own). */
  logger?: StartOptions["logger"];
}

export class TestBot {
  private constructor(
    readonly bot: RunningBot,
    readonly slack: FakeSlack,
    readonly github: FakeGitHub,
    readonly database: TestDatabase,
    /** What start() made (and stop() closes); what the test handed in is the test's to close. */
    private readonly owned: { slack: boolean; github: boolean },
    /** Messages and modals the sender had to cut to fit Slack's limits (a builder's bug). */
    readonly limitCuts: string[],
    /** What the bot logged at warn level and above, as the JSON records pino writes. */
    readonly logs: LogEntry[],
  ) {}

  /** The bot's logger: the test's level to standard output, and warnings and errors recorded whatever the level. */
  private static logger(level: string, limitCuts: string[], logs: LogEntry[]) {
    const record = {
      write(line: string) {
        const entry = JSON.parse(line) as LogEntry;
        logs.push(entry);
        if (entry.msg === LIMIT_CUT) limitCuts.push(`${String(entry.method)}: ${((entry.cuts as string[] | undefined) ?? []).join("; ")}`);
      },
    };
    const toOutput = level === "silent" ? [] : [{ level: level as Level, stream: process.stdout }];
    const streams = [{ level: "warn" as Level, stream: record }, ...toOutput];
    const lowest = level !== "silent" && pino.levels.values[level]! < pino.levels.values.warn! ? level : "warn";
    return pino({ level: lowest }, pino.multistream(streams));
  }

  /** Fails when a builder sent something past Slack's limits (see limitCuts). */
  private checkLimitCuts() {
    if (this.limitCuts.length === 0) return;
    const cuts = this.limitCuts.join("\n");
    throw new Error(`The bot sent ${this.limitCuts.length} payload(s) past Slack's limits, cut by the sender's last line:\n${cuts}`);
  }

  static async start(options: TestBotOptions = {}): Promise<TestBot> {
    // What start() makes, stop() closes; what the test hands in is the test's to close. A bot that
    // fails to start closes what was made for it, so nothing is left listening in the Jest worker.
    const made: { close(): Promise<unknown> }[] = [];
    const slack = options.slack ?? (await FakeSlack.start());
    if (!options.slack) made.push(slack);
    const github = options.github ?? (await FakeGitHub.start());
    if (!options.github) made.push(github);
    const database = options.database ?? (await createTestDatabase());
    if (!options.database) made.push({ close: () => database.dispose() });
    try {
      const config = loadConfig({
        SLACK_BOT_TOKEN: "xoxb-test-token",
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: "0",
        GITHUB_TOKEN: "ghp_test",
        GITHUB_REPOSITORY: "acme/incidents",
        GITHUB_API_URL: github.url,
        REPORTS_REPOSITORY: "acme/incident-reports",
        TIMEZONE: "Europe/London",
        GITHUB_WEBHOOK_SECRET,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
        ...(database.config.kind === "postgres"
          ? { DATABASE_URL: database.config.url }
          : database.pglite
            ? {}
            : { DATA_DIR: database.config.dataDir }),
        ...options.env,
      });
      // The channels the configuration names exist in the workspace, with the bot in them.
      for (const id of [config.assemble.incidentsChannelId, config.updates.channelId]) if (id) slack.addChannel(id);
      const limitCuts: string[] = [];
      const logs: LogEntry[] = [];
      const bot = await startBot(config, {
        // A test that reads debug lines hands in its own logger (and then the limit check is its own).
        logger: options.logger ?? TestBot.logger(config.logLevel, limitCuts, logs),
        pglite: database.pglite,
        now: options.now,
        // Retry n waits n² times this. Octokit's retry count also carries over from one request to the
        // next (the shared default request options), so a later request's first retry can wait 25 times it:
        // at 20 ms that was half a second per attempt in the GitHub-down tests.
        githubRetryBaseMs: 5,
        // Writes still go one at a time, but not Octokit's 1 s (3 s when they notify) apart: against
        // the fake, that wait was most of the GitHub tests' time, and no test is about the spacing.
        githubWriteSpacingMs: 5,
        statuspageRetryBaseMs: 20,
        // Slack's retry-after is still waited out in full; only the client's own backoff after it is short.
        slackRetryBaseMs: 20,
        socketMode: options.socketMode,
      });
      return new TestBot(bot, slack, github, database, { slack: !options.slack, github: !options.github }, limitCuts, logs);
    } catch (error) {
      for (const resource of made) await resource.close().catch(() => {});
      throw error;
    }
  }

  get url() {
    return `http://127.0.0.1:${this.bot.port}`;
  }

  get eventsUrl() {
    return `${this.url}/slack/events`;
  }

  /** Declares an incident as `user` (the commander) and returns it, as the store has it. */
  async declare(text: string, user = "UALICE"): Promise<Incident> {
    await this.command(`declare ${text}`, { user_id: user });
    return (await this.bot.deps.incidents.listIncidents()).at(-1)!;
  }

  /** Sends a slash command and waits until the bot has finished what it started. */
  async command(text: string, input: Partial<SlashCommandInput> = {}, options: SendOptions = {}) {
    const responseUrl = input.response_url ?? this.slack.responseUrl();
    const body = slashCommandBody({ text, ...input, response_url: responseUrl });
    const sentAt = this.slack.calls.length;
    const response = await sendSigned(this.eventsUrl, body, "application/x-www-form-urlencoded", options);
    await this.slack.readAck(response, responseUrl, sentAt);
    await this.bot.idle();
    return response;
  }

  async event(event: Record<string, unknown>, options: SendOptions & { eventId?: string } = {}) {
    const response = await sendSigned(this.eventsUrl, eventBody(event, options.eventId), "application/json", options);
    await this.bot.idle();
    return response;
  }

  async interact(payload: Record<string, unknown>, options: SendOptions = {}) {
    const response = await sendSigned(this.eventsUrl, interactionBody(payload), "application/x-www-form-urlencoded", options);
    await this.bot.idle();
    return response;
  }

  /** Presses a button (or picks an option) on a message the bot posted, as Slack's block_actions. */
  async press(action: { action_id: string; value?: string; selected_option?: { value: string } }, user: string, channel: string) {
    const responseUrl = this.slack.responseUrl();
    const response = await this.interact({
      type: "block_actions",
      team: { id: "T0ACME", domain: "acme" },
      user: { id: user, username: user.toLowerCase(), team_id: "T0ACME" },
      api_app_id: "A0BOT",
      token: "legacy-verification-token",
      trigger_id: `${Date.now()}.${Math.random().toString(36).slice(2)}`,
      container: { type: "message", message_ts: "1.000001", channel_id: channel, is_ephemeral: false },
      channel: { id: channel, name: "incident" },
      message: { type: "message", ts: "1.000001", text: "" },
      response_url: responseUrl,
      actions: [{ type: action.selected_option ? "static_select" : "button", block_id: "b", action_ts: `${Date.now() / 1000}`, ...action }],
    });
    return { response, responseUrl };
  }

  /**
   * Takes the channel's last posted report through review as the team does with its buttons:
   * `liaison` asks for review and publishes, `techLead` approves (both must hold those roles).
   */
  async publishReportThroughReview(channel: string, people: { liaison: string; techLead: string }) {
    const isReport = (c: { params: Record<string, unknown> }) =>
      c.params.channel === channel && String(c.params.text).startsWith("Report of incident");
    const reports = this.slack.callsTo("chat.postMessage").filter(isReport);
    type Blocks = { type: string; elements?: { action_id: string; value: string }[] }[];
    const actions = (reports.at(-1)!.params.blocks as Blocks).find((b) => b.type === "actions")!;
    const button = (id: string) => actions.elements!.find((e) => e.action_id === id)!;
    await this.press(button(ActionIds.requestReview), people.liaison, channel);
    await this.press(button(ActionIds.approveReport), people.techLead, channel);
    await this.press(button(ActionIds.publishReport), people.liaison, channel);
  }

  /** Submits a modal, as Slack's view_submission. */
  async submitView(
    view: { callback_id: string; private_metadata: string; values: Record<string, Record<string, { type: string; value: string }>> },
    user: string,
  ) {
    return this.viewSubmission(
      {
        id: `V${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
        team_id: "T0ACME",
        type: "modal",
        callback_id: view.callback_id,
        private_metadata: view.private_metadata,
        hash: `${Date.now()}.hash`,
        state: { values: view.values },
        blocks: [],
      },
      user,
    );
  }

  private viewSubmission(view: Record<string, unknown>, user: string) {
    return this.interact({
      type: "view_submission",
      team: { id: "T0ACME", domain: "acme" },
      user: { id: user, username: user.toLowerCase(), team_id: "T0ACME" },
      api_app_id: "A0BOT",
      token: "legacy-verification-token",
      trigger_id: `${Date.now()}.${Math.random().toString(36).slice(2)}`,
      view,
    });
  }

  /**
   * Runs a message shortcut on `message` (as Slack's `message_action`, with a fresh trigger id unless
   * given one: replaying a payload reuses it) and waits until the bot has finished.
   */
  async messageShortcut(
    callbackId: string,
    message: Record<string, unknown> & { ts: string },
    channel: { id: string; name: string },
    user: string,
    options: SendOptions & { triggerId?: string; responseUrl?: string } = {},
  ) {
    const responseUrl = options.responseUrl ?? this.slack.responseUrl();
    const triggerId = options.triggerId ?? `${Date.now()}.${Math.random().toString(36).slice(2)}`;
    const response = await this.interact(
      {
        type: "message_action",
        callback_id: callbackId,
        trigger_id: triggerId,
        response_url: responseUrl,
        action_ts: `${Date.now() / 1000}`,
        message_ts: message.ts,
        team: { id: "T0ACME", domain: "acme" },
        user: { id: user, name: user.toLowerCase(), team_id: "T0ACME" },
        channel: { id: channel.id, name: channel.name },
        message: { type: "message", ...message },
        token: "legacy-verification-token",
        is_enterprise_install: false,
        enterprise: null,
      },
      options,
    );
    return { response, responseUrl, triggerId };
  }

  /** Runs a global shortcut, as Slack's `shortcut` payload. */
  async globalShortcut(callbackId: string, user: string) {
    return this.interact({
      type: "shortcut",
      callback_id: callbackId,
      trigger_id: `${Date.now()}.${Math.random().toString(36).slice(2)}`,
      action_ts: `${Date.now() / 1000}`,
      team: { id: "T0ACME", domain: "acme" },
      user: { id: user, username: user.toLowerCase(), team_id: "T0ACME" },
      token: "legacy-verification-token",
      is_enterprise_install: false,
      enterprise: null,
    });
  }

  /**
   * Submits a modal the bot opened, as Slack's `view_submission`: the view as the bot built it (its
   * callback id, private_metadata and blocks, with the id and hash Slack gave it) and what the
   * person put in its inputs, by block id and action id.
   */
  async submitOpenedView(opened: OpenedView, values: Record<string, Record<string, Record<string, unknown>>>, user: string) {
    return this.viewSubmission({ ...opened.view, id: opened.id, hash: opened.hash, team_id: "T0ACME", state: { values } }, user);
  }

  /** GitHub delivers an `issues` webhook for issue `number` to this bot (signed unless told otherwise), and the bot finishes. */
  async githubWebhook(options: Omit<Parameters<FakeGitHub["deliverWebhook"]>[1], "secret"> & { secret?: string }) {
    const result = await this.github.deliverWebhook(`${this.url}/github/webhook`, { secret: GITHUB_WEBHOOK_SECRET, ...options });
    await this.bot.idle();
    return result;
  }

  /** What the bot answered through one response_url. */
  answersTo(responseUrl: string) {
    const id = responseUrl.split("/").at(-1);
    return this.slack.calls.filter((c) => c.method === "response_url" && c.params.__path === `/response/${id}`).map((c) => c.params);
  }

  /** The text of the last ephemeral answer the bot sent to a command. */
  lastReply(): string {
    const replies = this.slack.responses();
    return stringParam(replies.at(-1), "text") ?? "";
  }

  /** Stops this bot and starts a new one on the same database and fakes, as after a crash or deploy. */
  async restart(options: Omit<TestBotOptions, "database" | "slack" | "github"> = {}): Promise<TestBot> {
    await this.bot.stop();
    this.checkLimitCuts();
    const next = await TestBot.start({ ...options, database: this.database, slack: this.slack, github: this.github });
    return new TestBot(next.bot, this.slack, this.github, this.database, this.owned, next.limitCuts, next.logs);
  }

  async stop() {
    await this.bot.stop();
    await Promise.all([this.owned.slack && this.slack.close(), this.owned.github && this.github.close()]);
    await this.database.dispose();
    this.checkLimitCuts();
  }
}
