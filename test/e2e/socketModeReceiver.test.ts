// Socket Mode end to end: a real Bolt App with our SocketModeReceiver against FakeSlack and the
// Socket Mode fake. The contract under test is HTTP mode's: an event is acknowledged only once it
// is stored, a failed write is redelivered by Slack, the connection comes back after Slack drops
// or refreshes it, and start-up and /health tell the truth when Slack cannot be reached.
import { App, LogLevel, type Logger } from "@slack/bolt";
import { socketModeHealth, SocketModeReceiver, type SocketModeReceiverOptions } from "../../src/slack/socketModeReceiver.js";
import { FakeSlack } from "../support/fakeSlack.js";
import { FakeSocketMode, type FakeSocketModeOptions } from "../support/fakeSocketMode.js";

/** Bolt's logger interface, keeping lines for assertions instead of printing them. */
function recordingLogger(): Logger & { lines: { level: string; text: string }[] } {
  const lines: { level: string; text: string }[] = [];
  const at =
    (level: string) =>
    (...msg: unknown[]) =>
      void lines.push({ level, text: msg.map(String).join(" ") });
  return {
    lines,
    debug: () => {},
    info: at("info"),
    warn: at("warn"),
    error: at("error"),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

/** The message listener's store: writes can be held back or made to fail. */
class MessageStore {
  readonly rows: { ts: string; retryNum: number | undefined; at: number }[] = [];
  failures = 0;
  private gate: Promise<void> | undefined;
  private entered: (() => void) | undefined;

  /** Holds writes until the returned function is called; `entered` resolves when a write is waiting. */
  hold(): { entered: Promise<void>; release: () => void } {
    let release!: () => void;
    this.gate = new Promise((resolve) => (release = resolve));
    const entered = new Promise<void>((resolve) => (this.entered = resolve));
    return { entered, release: () => ((this.gate = undefined), release()) };
  }

  async write(ts: string, retryNum: number | undefined) {
    this.entered?.();
    if (this.gate) await this.gate;
    await new Promise((resolve) => setImmediate(resolve)); // a write is never synchronous
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("store unavailable");
    }
    this.rows.push({ ts, retryNum, at: Date.now() });
  }
}

interface Bot {
  app: App;
  receiver: SocketModeReceiver;
  slack: FakeSlack;
  socket: FakeSocketMode;
  store: MessageStore;
  logger: ReturnType<typeof recordingLogger>;
}

const running: Bot[] = [];

async function startBot(
  options: { receiver?: Partial<SocketModeReceiverOptions>; fake?: FakeSocketModeOptions; start?: boolean } = {},
): Promise<Bot> {
  const slack = await FakeSlack.start();
  const socket = await FakeSocketMode.start(options.fake);
  slack.socketMode = socket;
  const logger = recordingLogger();
  // clientPingTimeout is also SocketModeClient's reconnect delay step; small keeps the tests quick.
  const receiver = new SocketModeReceiver({
    appToken: "xapp-test",
    logger,
    slackApiUrl: slack.apiUrl,
    clientPingTimeout: 200,
    ...options.receiver,
  });
  const app = new App({
    token: "xoxb-test",
    receiver,
    logger,
    clientOptions: { slackApiUrl: slack.apiUrl },
    convoStore: false,
    deferInitialization: true,
  });
  const store = new MessageStore();
  app.event("message", async ({ event, context }) => {
    await store.write((event as { ts: string }).ts, context.retryNum);
  });
  app.command("/incident", async ({ ack }) => {
    await ack({ response_type: "ephemeral", text: "Declaring the incident…" });
  });
  app.view("edit_section", async ({ ack }) => {
    await ack({ response_action: "errors", errors: { section_text: "Write something." } });
  });
  const bot = { app, receiver, slack, socket, store, logger };
  running.push(bot);
  await app.init();
  if (options.start !== false) await app.start();
  return bot;
}

afterEach(async () => {
  for (const bot of running.splice(0)) {
    await bot.app.stop();
    await bot.socket.close();
    await bot.slack.close();
  }
});

let seq = 0;
function messageEvent(text: string) {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(++seq).padStart(6, "0")}`;
  return {
    token: "legacy-verification-token",
    team_id: "T0ACME",
    api_app_id: "A0FAKEAPP",
    type: "event_callback",
    event_id: `Ev${seq}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: "message", channel: "C0INCIDENT", channel_type: "channel", user: "UALICE", text, ts, event_ts: ts },
  };
}

const tsOf = (payload: ReturnType<typeof messageEvent>) => payload.event.ts;

/** Polls `check` until it returns true (for state the fakes do not announce). */
async function eventually(check: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("Socket Mode receiver", () => {
  it("acknowledges a message event only after the listener has stored it", async () => {
    const { socket, store } = await startBot({ fake: { ackTimeoutMs: 10_000 } });
    const held = store.hold();
    const event = messageEvent("database is on fire");
    const envelopeId = socket.deliver(event);
    await held.entered;
    // An envelope sent later on the same socket is acknowledged first: the socket is ordered, so
    // an ack of the message sent before the write (Bolt's own receiver does) would have come first.
    const command = socket.deliver(
      {
        command: "/incident",
        text: "declare db",
        user_id: "UALICE",
        channel_id: "C0GENERAL",
        team_id: "T0ACME",
        trigger_id: "1.2.abc",
        response_url: `${socket.url}/r`,
      },
      "slash_commands",
    );
    await socket.waitForAck(command);
    expect(socket.ackFor(envelopeId)).toBeUndefined();
    expect(store.rows).toHaveLength(0);

    held.release();
    const ack = await socket.waitForAck(envelopeId);
    expect(store.rows.map((r) => r.ts)).toEqual([tsOf(event)]);
    expect(ack.at).toBeGreaterThanOrEqual(store.rows[0]!.at);
  });

  it("leaves an event it failed to store unacknowledged, and stores Slack's redelivery exactly once", async () => {
    const { socket, store, logger } = await startBot();
    store.failures = 1;
    const event = messageEvent("rollback started");
    const envelopeId = socket.deliver(event);

    const ack = await socket.waitForAck(envelopeId);
    const retries = socket.sent.filter((e) => e.envelope_id === envelopeId);
    expect(retries.map((e) => [e.retry_attempt, e.retry_reason])).toEqual([
      [0, ""],
      [1, "timeout"],
    ]);
    expect(ack.at).toBeGreaterThanOrEqual(socket.deliveriesOf(envelopeId)[1]!);
    expect(store.rows.map((r) => [r.ts, r.retryNum])).toEqual([[tsOf(event), 1]]);
    expect(socket.acks.filter((a) => a.envelopeId === envelopeId)).toHaveLength(1);
    expect(logger.lines.some((l) => l.level === "warn" && l.text.includes(envelopeId) && l.text.includes("not acknowledged"))).toBe(true);
  });

  it("reconnects after Slack's refresh_requested disconnect and after a dropped connection, and keeps storing events", async () => {
    const { socket, store } = await startBot();
    await socket.waitForConnections(1);

    socket.sendDisconnect("refresh_requested");
    await socket.waitForConnections(2);
    const afterRefresh = messageEvent("after refresh");
    await socket.waitForAck(socket.deliver(afterRefresh));

    socket.dropConnection();
    await socket.waitForConnections(3);
    const afterDrop = messageEvent("after drop");
    await socket.waitForAck(socket.deliver(afterDrop));

    expect(store.rows.map((r) => r.ts)).toEqual([tsOf(afterRefresh), tsOf(afterDrop)]);
    // Each connection asked for a fresh URL: Slack's URLs are one-use.
    expect(socket.openCalls).toHaveLength(3);
  });

  it("calls apps.connections.open on the configured API URL with the app-level token", async () => {
    const { socket, slack } = await startBot();
    expect(socket.openCalls[0]).toMatchObject({ url: `${slack.apiUrl}apps.connections.open`, authorization: "Bearer xapp-test" });
    expect(slack.callsTo("apps.connections.open")).toHaveLength(1);
  });

  it("reports unhealthy, with the reason, while disconnected beyond the grace period, and healthy again once reconnected", async () => {
    const { socket, receiver, store } = await startBot({ receiver: { disconnectedGraceMs: 300 } });
    expect(receiver.health()).toMatchObject({ ok: true, state: "connected" });

    socket.refuseConnections(true);
    socket.dropConnection();
    await eventually(() => !receiver.health().ok);
    expect(receiver.health()).toMatchObject({
      ok: false,
      state: "disconnected",
      reason: expect.stringMatching(/^Socket Mode disconnected from Slack for \d+ s$/),
    });

    socket.refuseConnections(false);
    await eventually(() => receiver.health().state === "connected");
    expect(receiver.health().ok).toBe(true);
    const event = messageEvent("after the outage");
    await socket.waitForAck(socket.deliver(event));
    expect(store.rows.map((r) => r.ts)).toEqual([tsOf(event)]);
  });

  it("fails start-up with a clear error when Slack cannot be reached, instead of waiting forever", async () => {
    const bot = await startBot({ start: false, receiver: { startTimeoutMs: 1_500 } });
    bot.socket.refuseConnections(true);
    await expect(bot.app.start()).rejects.toThrow(
      /^Socket Mode did not connect to Slack within 1\.5 s: check the network path to http:\/\/127\.0\.0\.1:\d+\/api\/ .*SLACK_APP_TOKEN/,
    );
    expect(bot.socket.openCalls.length).toBeGreaterThan(0);
    expect(bot.receiver.health()).toMatchObject({ ok: false, state: "disconnected" });
  }, 15_000);

  it("fails start-up at once with Slack's reason when the app token is refused", async () => {
    const bot = await startBot({ start: false });
    bot.slack.failNext("apps.connections.open", { error: "invalid_auth" });
    await expect(bot.app.start()).rejects.toThrow(
      /apps\.connections\.open at http:\/\/127\.0\.0\.1:\d+\/api\/: invalid_auth\): check SLACK_APP_TOKEN/,
    );
    expect(bot.socket.connectionCount).toBe(0);
  });

  it("answers slash commands and modal submissions with the payload the listener acknowledged with", async () => {
    const { socket } = await startBot();
    const command = socket.deliver(
      {
        command: "/incident",
        text: "declare db",
        user_id: "UALICE",
        channel_id: "C0GENERAL",
        team_id: "T0ACME",
        trigger_id: "1.2.abc",
        response_url: `${socket.url}/r`,
      },
      "slash_commands",
    );
    const submission = socket.deliver(
      {
        type: "view_submission",
        team: { id: "T0ACME" },
        user: { id: "UALICE" },
        trigger_id: "1.2.def",
        view: { id: "V1", type: "modal", callback_id: "edit_section", state: { values: {} } },
      },
      "interactive",
    );
    expect((await socket.waitForAck(command)).payload).toEqual({ response_type: "ephemeral", text: "Declaring the incident…" });
    expect((await socket.waitForAck(submission)).payload).toEqual({
      response_action: "errors",
      errors: { section_text: "Write something." },
    });
  });
});

describe("Socket Mode health", () => {
  const since = new Date("2026-03-01T10:00:00Z");
  const at = (ms: number) => new Date(since.getTime() + ms);

  it("stays healthy through a reconnect shorter than the grace period", () => {
    expect(socketModeHealth({ running: true, connected: false, since, graceMs: 10_000, now: at(4_000) })).toEqual({
      ok: true,
      state: "connecting",
      since,
    });
  });

  it("turns unhealthy once disconnected for longer than the grace period, saying for how long", () => {
    expect(socketModeHealth({ running: true, connected: false, since, graceMs: 10_000, now: at(12_000) })).toEqual({
      ok: false,
      state: "disconnected",
      reason: "Socket Mode disconnected from Slack for 12 s",
      since,
    });
  });

  it("is unhealthy when not running at all", () => {
    expect(socketModeHealth({ running: false, connected: false, since, graceMs: 10_000, now: at(0) })).toMatchObject({
      ok: false,
      reason: "Socket Mode is not running",
    });
  });
});
