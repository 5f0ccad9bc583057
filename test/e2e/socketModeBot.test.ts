// The production bot in Socket Mode (what manifest.json selects), against FakeSlack and a local
// fake of Slack's Socket Mode: an event is acknowledged only once it is stored, a failed write is
// left unacknowledged so Slack redelivers it, SLACK_API_URL is used for apps.connections.open, and
// /health and start-up tell the truth about the connection.
import type { Incident } from "../../src/incidents/model.js";
import { FakeSlack } from "../support/fakeSlack.js";
import { FakeSocketMode } from "../support/fakeSocketMode.js";
import { createTestDatabase } from "../support/testDatabase.js";
import { TestBot } from "../support/testBot.js";

const SOCKET_ENV = { SLACK_APP_TOKEN: "xapp-1-A0BOT-test" };
const timings = { clientPingTimeout: 200, disconnectedGraceMs: 300, startTimeoutMs: 5_000 };

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    value = await probe();
  }
  return value;
}

describe("the bot in Socket Mode", () => {
  let slack: FakeSlack;
  let socket: FakeSocketMode;
  let bot: TestBot;
  let incident: Incident;
  const health = async () => {
    const response = await fetch(`${bot.url}/health`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    slack = await FakeSlack.start();
    socket = await FakeSocketMode.start({ ackTimeoutMs: 400 });
    slack.socketMode = socket;
    bot = await TestBot.start({ slack, env: SOCKET_ENV, socketMode: timings });
    const declare = socket.deliver(
      {
        token: "legacy",
        team_id: "T0ACME",
        channel_id: "CGENERAL",
        user_id: "UALICE",
        command: "/incident",
        text: "declare Checkout errors after deploy sev2",
        response_url: slack.responseUrl(),
        trigger_id: "1.socket-declare",
        api_app_id: "A0BOT",
      },
      "slash_commands",
    );
    await socket.waitForAck(declare);
    await bot.bot.idle();
    incident = (await bot.bot.deps.incidents.listIncidents())[0]!;
  });
  afterAll(async () => {
    await bot?.stop();
    await socket?.close();
    await slack?.close();
  });

  const messageEnvelope = (text: string, ts: string) => ({
    token: "legacy",
    team_id: "T0ACME",
    api_app_id: "A0BOT",
    type: "event_callback",
    event_id: `Ev${ts.replace(".", "")}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: "message", channel: incident.channelId, user: "UBOB", text, ts },
  });

  it("opens the connection through SLACK_API_URL and declares from a slash command envelope", () => {
    expect(socket.openCalls.length).toBeGreaterThan(0);
    expect(socket.openCalls[0]!.url.startsWith(slack.apiUrl)).toBe(true);
    expect(incident).toMatchObject({ title: "Checkout errors after deploy", severity: "sev2" });
  });

  it("acknowledges a message only once it is stored", async () => {
    const ts = `${Math.floor(Date.now() / 1000) - 60}.000100`;
    const id = socket.deliver(messageEnvelope("rolled back the deploy", ts));
    await socket.waitForAck(id);
    // The ack is sent after the listener finished, so the entry is there when it arrives.
    const entries = await bot.bot.deps.incidents.listEntries(incident.id);
    expect(entries.filter((e) => e.ts === ts).map((e) => e.text)).toEqual(["rolled back the deploy"]);
  });

  it("answers /incident log in the envelope's ack payload, once the entry is stored", async () => {
    const responseUrl = slack.responseUrl();
    const id = socket.deliver(
      {
        token: "legacy",
        team_id: "T0ACME",
        channel_id: incident.channelId,
        user_id: "UBOB",
        command: "/incident",
        text: "log paused the canary rollout",
        response_url: responseUrl,
        trigger_id: "2.socket-log",
        api_app_id: "A0BOT",
      },
      "slash_commands",
    );
    const ack = await socket.waitForAck(id);
    expect(ack.payload).toEqual({ response_type: "ephemeral", text: expect.stringMatching(/^Logged: /) as unknown });
    const entries = await bot.bot.deps.incidents.listEntries(incident.id);
    expect(entries.filter((e) => e.kind === "log").map((e) => e.text)).toContain("paused the canary rollout");
    await bot.bot.idle();
    expect(slack.calls.filter((c) => c.method === "response_url" && c.params.__path === new URL(responseUrl).pathname)).toEqual([]);
  });

  it("leaves a message it could not store unacknowledged, so Slack redelivers it, and stores it once", async () => {
    const { prisma } = bot.bot.database;
    const ts = `${Math.floor(Date.now() / 1000) - 50}.000200`;
    await prisma.$executeRawUnsafe(`ALTER TABLE "TimelineEntry" RENAME TO "TimelineEntryAway"`);
    let id: string;
    try {
      id = socket.deliver(messageEnvelope("error rate back to normal", ts));
      await until(
        async () => socket.deliveriesOf(id).length,
        (n) => n >= 2,
      ); // the first delivery failed and was not acked
      expect(socket.ackFor(id)).toBeUndefined();
    } finally {
      await prisma.$executeRawUnsafe(`ALTER TABLE "TimelineEntryAway" RENAME TO "TimelineEntry"`);
    }
    const ack = await socket.waitForAck(id);
    expect(ack).toBeDefined();
    const entries = await bot.bot.deps.incidents.listEntries(incident.id);
    expect(entries.filter((e) => e.ts === ts)).toHaveLength(1);
  });

  it("reports the Slack connection in /health: 503 with a reason while it is down beyond the grace, 200 once back", async () => {
    expect(await health()).toEqual({ status: 200, body: { status: "ok", database: "up", slack: "connected" } });
    socket.refuseConnections(true);
    socket.dropConnection();
    const down = await until(health, (h) => h.status === 503);
    expect(down).toEqual({
      status: 503,
      body: expect.objectContaining({
        status: "unavailable",
        database: "up",
        reason: expect.stringMatching(/^Socket Mode disconnected from Slack for \d+ s/),
      }),
    });
    // Readiness says the same; liveness stays 200: restarting the process would not bring Slack back.
    expect((await fetch(`${bot.url}/health/ready`)).status).toBe(503);
    expect(await (await fetch(`${bot.url}/health/live`)).json()).toEqual({ status: "ok", service: "incident-bot" });
    socket.refuseConnections(false);
    const back = await until(health, (h) => h.status === 200, 15_000);
    expect(back.body).toMatchObject({ status: "ok", slack: "connected" });
    expect((await fetch(`${bot.url}/health/ready`)).status).toBe(200);
    // Events flow again after the reconnect.
    const ts = `${Math.floor(Date.now() / 1000) - 40}.000300`;
    await socket.waitForAck(socket.deliver(messageEnvelope("monitoring after the reconnect", ts)));
    expect((await bot.bot.deps.incidents.listEntries(incident.id)).some((e) => e.ts === ts)).toBe(true);
  }, 40_000);
});

describe("Socket Mode start-up with Slack unreachable", () => {
  it("gives up within the bound with a message that names the API URL and SLACK_APP_TOKEN", async () => {
    const slack = await FakeSlack.start();
    const socket = await FakeSocketMode.start();
    slack.socketMode = socket;
    socket.refuseConnections(true);
    const database = await createTestDatabase();
    try {
      await expect(TestBot.start({ slack, database, env: SOCKET_ENV, socketMode: { ...timings, startTimeoutMs: 1_500 } })).rejects.toThrow(
        new RegExp(
          `^Socket Mode did not connect to Slack within 1\\.5 s: check the network path to ${slack.apiUrl.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}.*SLACK_APP_TOKEN`,
        ),
      );
    } finally {
      await socket.close();
      await slack.close();
      await database.dispose();
    }
  });
});
