// Every Slack client the bot posts through is guarded. Bolt hands each listener a WebClient of its
// own (pooled per token), not app.client; a listener that posted through it would re-post a typed
// `<!channel>` as a real @channel, and send a modal past Slack's limits. The bot's listeners use
// ctx.client, and the app guards the one Bolt hands out as well (src/slack/app.ts): this test adds
// a listener that uses it, to the app the bot builds, and sends it a signed command.
import type { WebClient } from "@slack/web-api";
import { pino } from "pino";
import { BackgroundTasks } from "../../src/backgroundTasks.js";
import { loadConfig } from "../../src/config/index.js";
import { buildSlackApp, type SlackRuntime } from "../../src/slack/app.js";
import { LIMIT_CUT } from "../../src/slack/text.js";
import { FakeSlack } from "../support/fakeSlack.js";
import { sendSigned, SIGNING_SECRET, slashCommandBody } from "../support/slackRequests.js";

let slack: FakeSlack;
let runtime: SlackRuntime;
let port: number;
const warnings: { msg: string; method?: string }[] = [];
let handed: WebClient | undefined;
const CHANNEL = "CECHO00001";

beforeAll(async () => {
  slack = await FakeSlack.start();
  slack.addChannel(CHANNEL);
  const config = loadConfig({
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: "0",
    LOG_LEVEL: "warn",
  });
  const logger = pino({ level: "warn" }, { write: (line: string) => void warnings.push(JSON.parse(line) as { msg: string }) });
  runtime = buildSlackApp({
    config,
    logger,
    identity: { userId: "UBOT", botId: "BBOT", team: "Acme", user: "incident-bot" },
    isDatabaseUp: async () => true,
  });
  // This test's listener needs no incident: the bot's own listeners are registered but not called.
  runtime.listen({
    client: runtime.client,
    logger,
    tasks: new BackgroundTasks(logger),
    deps: undefined as never,
    locator: undefined as never,
  });
  runtime.app.command("/echo", async ({ ack, client, command }) => {
    await ack();
    handed = client;
    await client.chat.postMessage({ channel: CHANNEL, text: command.text });
    const title = "A title far longer than Slack's twenty-four";
    await client.views.open({
      trigger_id: command.trigger_id,
      view: {
        type: "modal",
        title: { type: "plain_text", text: title },
        blocks: [{ type: "section", text: { type: "mrkdwn", text: command.text } }],
      },
    });
  });
  port = await runtime.start();
});

afterAll(async () => {
  await runtime.stop();
  await slack.close();
});

it("guards the client Bolt hands a listener: no broadcast, nothing past Slack's limits", async () => {
  const body = slashCommandBody({
    command: "/echo",
    text: "<!channel> deploy now, <!subteam^S0SRE|@sre> too",
    channel_id: CHANNEL,
    response_url: slack.responseUrl(),
  });
  const response = await sendSigned(`http://127.0.0.1:${port}/slack/events`, body, "application/x-www-form-urlencoded");
  expect(response.status).toBe(200);

  expect(handed).toBeDefined();
  expect(handed).not.toBe(runtime.app.client); // the per-request client, not the app's
  const posted = slack.accepted("chat.postMessage").at(-1)!;
  expect(posted.params.text).toBe("@channel deploy now, @sre too");
  const opened = slack.callsTo("views.open").at(-1)!;
  expect(opened.error).toBeUndefined();
  expect(String((opened.params.view as { title: { text: string } }).title.text).length).toBeLessThanOrEqual(24);
  expect(warnings).toEqual([expect.objectContaining({ msg: LIMIT_CUT, method: "views.open" })]);
});
