// Faults: GitHub down and rate limited, Slack rate limiting the bot, the database going away
// under load (PostgreSQL), and requests no real Slack would send. Through the signed receiver,
// against the fakes; each fault ends with the record exactly as it should be.
import { issueMarker, retryPendingIssues } from "../../src/incidents/actionItems.js";
import type { Incident } from "../../src/incidents/model.js";
import { ActionIds } from "../../src/slack/ids.js";
import { eventBody, sendSigned, signature, slashCommandBody, type SendOptions } from "../support/slackRequests.js";
import { messageEvent, uniqueTsNow } from "../support/slackMessages.js";
import { TcpProxy } from "../support/tcpProxy.js";
import { TestBot } from "../support/testBot.js";
import { createTestDatabase, usingPostgres } from "../support/testDatabase.js";

const HOUR = 3_600_000;
const ISSUES = /^POST \/repos\/acme\/incidents\/issues$/;
const LIST_ISSUES = /^GET \/repos\/acme\/incidents\/issues$/;

/** A request signed as Slack signs it (or as `options` forges it), given up on when `signal` aborts. */

/** The status of `response`, or what went wrong when there was none. */
const statusOf = (response: Promise<Response>) =>
  response.then(
    (r) => r.status,
    (error: unknown) => `no answer: ${String(error)}`,
  );

/** When each call reached a fake: the fakes record calls, not times, so stamp them as they arrive. */
function stampArrivals<T extends object>(calls: T[]): (call: T) => number {
  const at = new WeakMap<T, number>();
  const push = calls.push.bind(calls);
  calls.push = (...items: T[]) => {
    for (const item of items) at.set(item, Date.now());
    return push(...items);
  };
  return (call) => at.get(call) ?? NaN;
}

const declare = (bot: TestBot, title: string): Promise<Incident> => bot.declare(title);

/** A message a person posts now in `channel` (unique Slack ts). */
function message(channel: string, text: string) {
  const ts = uniqueTsNow();
  return messageEvent(channel, text, { ts, event_ts: ts });
}

describe("GitHub down, then rate limited, then back", () => {
  let bot: TestBot;
  afterAll(() => bot?.stop());

  it("gives every action item exactly its one issue", async () => {
    let offsetMs = 0;
    bot = await TestBot.start({ now: () => new Date(Date.now() + offsetMs) });
    const arrivedAt = stampArrivals(bot.github.calls);
    const incident = await declare(bot, "Search cluster red sev2");
    await bot.command("action Alert on unassigned shards", { channel_id: incident.channelId });
    await bot.command("action Add a replica to the search cluster", { channel_id: incident.channelId });
    await bot.command("action Write the shard recovery runbook", { channel_id: incident.channelId });
    const items = () => bot.bot.deps.actionItems.listActionItems(incident.id);
    const issuesOf = async () => (await items()).map((item) => bot.github.issues.filter((i) => i.body.includes(issueMarker(item))).length);
    const retry = () => bot.press({ action_id: ActionIds.retryActionItemIssue, value: incident.id }, "UBOB", incident.channelId);

    // 1. Down: every request answers 500. Resolving still resolves; the items wait, pending.
    bot.github.failNext(/./, { status: 500 }, 10_000);
    await bot.command("resolve Moved shards off the failed node", { channel_id: incident.channelId });
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).status).toBe("resolved");
    expect(bot.github.issues).toHaveLength(0);
    expect((await items()).map((i) => [i.issueUrl, i.lastError])).toEqual(Array(3).fill([null, expect.stringMatching(/500|Server Error/)]));
    const summary = bot.slack
      .callsTo("chat.postMessage")
      .filter((c) => c.params.channel === incident.channelId)
      .at(-1)!;
    expect(JSON.stringify(summary.params.blocks)).toContain(ActionIds.retryActionItemIssue);
    await retry(); // still down
    offsetMs = 2 * HOUR; // and the sweeper, after the backoff: still down
    expect(await retryPendingIssues(bot.bot.deps)).toBe(0);
    expect(bot.github.issues).toHaveLength(0);
    expect(bot.github.writes()).toHaveLength(0); // nothing is created while its marker cannot be looked up

    // 2. Up but rate limited: the primary limit (403, x-ratelimit-remaining 0, x-ratelimit-reset)
    //    on a lookup, 429 + retry-after on a create, and a create whose answer is lost (502).
    bot.github.clearFailures();
    const callsBefore = bot.github.calls.length;
    bot.github.failNext(LIST_ISSUES, { status: 403, rateLimitResetInSeconds: 1 }); // item 1's lookup: waited out
    bot.github.failNext(ISSUES, { status: 429, retryAfter: 1 }); // item 1's create: stays pending
    bot.github.failNext(ISSUES, { status: 502, afterApplying: true }); // item 2's create: made, answer lost
    await retry();
    const phase = bot.github.calls.slice(callsBefore);
    // The lookup refused with 403 is sent again, and only after the reset time.
    const [refused, again] = phase.filter((c) => c.method === "GET");
    expect(again).toBeDefined();
    expect(arrivedAt(again!)).toBeGreaterThanOrEqual((Math.floor(arrivedAt(refused!) / 1000) + 1) * 1000);
    // The create refused with 429 is not re-sent blindly: the item waits for its next attempt,
    // which looks for the marker first.
    expect(phase.filter((c) => c.method === "POST").map((c) => c.body?.title)).toEqual([
      "Alert on unassigned shards",
      "Add a replica to the search cluster",
      "Write the shard recovery runbook",
    ]);
    expect(await issuesOf()).toEqual([0, 1, 1]); // item 2's issue exists, though the bot never heard
    expect((await items()).map((i) => Boolean(i.issueUrl))).toEqual([false, false, true]);

    // 3. Back: the Retry button opens item 1's issue and finds item 2's by its marker.
    const { responseUrl } = await retry();
    expect(await issuesOf()).toEqual([1, 1, 1]);
    expect(bot.github.issues).toHaveLength(3);
    const done = await items();
    expect(done.map((i) => i.issueUrl)).toEqual(
      done.map((item) => bot.github.issues.find((i) => i.body.includes(issueMarker(item)))!.html_url),
    );
    const replaced = bot.answersTo(responseUrl).at(-1)!;
    expect(JSON.stringify(replaced.blocks)).not.toContain(ActionIds.retryActionItemIssue);
    // Later sweeps and presses change nothing.
    offsetMs = 6 * HOUR;
    expect(await retryPendingIssues(bot.bot.deps)).toBe(0);
    await retry();
    expect(bot.github.issues).toHaveLength(3);
  });
});

describe("Slack answering 429 with retry-after", () => {
  let bot: TestBot;
  afterAll(() => bot?.stop());

  it("waits the delay, then retries chat.postMessage and chat.update; nothing is dropped", async () => {
    bot = await TestBot.start();
    const arrivedAt = stampArrivals(bot.slack.calls);
    /** The calls of `method` from index `from` on: the first was refused with 429, the second must come after `seconds`. */
    const expectRetriedAfter = (method: string, from: number, seconds: number) => {
      const [refused, retried, ...more] = bot.slack.callsTo(method).slice(from);
      expect(more).toHaveLength(0);
      expect(retried).toBeDefined();
      expect(retried!.params).toEqual(refused!.params);
      expect(arrivedAt(retried!) - arrivedAt(refused!)).toBeGreaterThanOrEqual(seconds * 1000);
      return retried!;
    };

    // Declaring: the header post is rate limited.
    bot.slack.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const incident = await declare(bot, "Slack rate limits the bot sev3");
    const header = expectRetriedAfter("chat.postMessage", 0, 1);
    expect(incident.headerTs).toBeTruthy();
    expect(bot.slack.callsTo("pins.add").map((c) => c.params)).toEqual([
      expect.objectContaining({ channel: incident.channelId, timestamp: incident.headerTs }),
    ]);
    expect(JSON.stringify(header.params.blocks)).toContain("Slack rate limits the bot");
    expect(bot.lastReply()).toContain(`<#${incident.channelId}>`);

    // A status change: the header update and then the announcement are each rate limited once.
    const updates = bot.slack.callsTo("chat.update").length;
    const posts = bot.slack.callsTo("chat.postMessage").length;
    bot.slack.failNext("chat.update", { status: 429, retryAfter: 1 });
    bot.slack.failNext("chat.postMessage", { status: 429, retryAfter: 2 });
    const body = slashCommandBody({
      text: "status identified",
      channel_id: incident.channelId,
      user_id: "UALICE",
      response_url: bot.slack.responseUrl(),
    });
    const ack = await sendSigned(bot.eventsUrl, body, "application/x-www-form-urlencoded");
    expect(ack.status).toBe(200); // Slack's 3 s ack does not wait for Slack's rate limit
    // While the bot waits out the limit, what people say is still recorded at once.
    for (let i = 0; i < 500 && bot.slack.callsTo("chat.update").length === updates; i++) await new Promise((r) => setTimeout(r, 10));
    const said = message(incident.channelId, "error rate back under 1%");
    expect((await sendSigned(bot.eventsUrl, eventBody(said), "application/json")).status).toBe(200);
    expect((await bot.bot.deps.incidents.listEntries(incident.id)).some((e) => e.ts === said.ts)).toBe(true);
    await bot.bot.idle();

    const update = expectRetriedAfter("chat.update", updates, 1);
    expect(update.params).toMatchObject({ channel: incident.channelId, ts: incident.headerTs });
    expect(JSON.stringify(update.params.blocks)).toMatch(/identified/i);
    const announcement = expectRetriedAfter("chat.postMessage", posts, 2);
    expect(String(announcement.params.text)).toContain("changed status from investigating to identified");
    const entries = await bot.bot.deps.incidents.listEntries(incident.id);
    expect(entries.filter((e) => e.kind === "status").map((e) => e.data)).toEqual([
      { field: "status", from: "investigating", to: "identified" },
    ]);
    expect((await bot.bot.deps.incidents.getIncident(incident.id)).status).toBe("identified");
  });
});

// PostgreSQL only: a TCP proxy between the bot and the server is cut (or stops forwarding) and
// then restored. The shared server itself is never restarted: other test files use it meanwhile.
const onPostgres = usingPostgres() ? it : it.skip;

describe("the database unreachable while events arrive (PostgreSQL only; skipped on PGlite: set DATABASE_URL)", () => {
  let bot: TestBot | undefined;
  let proxy: TcpProxy | undefined;
  afterEach(async () => {
    proxy?.restore();
    await bot?.stop();
    await proxy?.close();
    [bot, proxy] = [undefined, undefined];
  });

  /** A bot whose every database connection goes through a proxy, with an incident and one message recorded. */
  async function startBehindProxy() {
    const database = await createTestDatabase();
    const server = new URL(database.config.kind === "postgres" ? database.config.url : "");
    proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
    bot = await TestBot.start({ database, env: { DATABASE_URL: proxy.rewrite(server.toString()) } });
    const incident = await declare(bot, "Primary database failover sev1");
    const before = message(incident.channelId, "replica lag is 30s");
    expect((await bot.event(before)).status).toBe(200);
    expect(await health(bot)).toBe(200);
    expect(proxy.stats.forwarded).toBeGreaterThan(0);
    const during: Delivery[] = Array.from({ length: 20 }, (_, i) => ({
      event: message(incident.channelId, `said during the outage ${i}`),
      eventId: `EvOUTAGE${i}`,
    }));
    return { bot, proxy, incident, before, during };
  }
  const health = (bot: TestBot, signal?: AbortSignal) => statusOf(fetch(`${bot.url}/health`, { signal }));
  type Delivery = { event: ReturnType<typeof message>; eventId: string };
  const deliver = (bot: TestBot, { event, eventId }: Delivery, options: SendOptions = {}, signal?: AbortSignal) =>
    statusOf(sendSigned(bot.eventsUrl, eventBody(event, eventId), "application/json", { ...options, signal }));

  /** After the outage: /health recovers in the same process, and Slack's redeliveries are each stored once. */
  async function expectRecovery(bot: TestBot, incident: Incident, expected: { ts: string }[], during: Delivery[]) {
    let status = await health(bot);
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = await health(bot);
    }
    expect(status).toBe(200);
    for (const retryNum of [1, 2]) {
      const redelivered = await Promise.all(during.map((d) => deliver(bot, d, { retryNum, retryReason: "http_error" })));
      expect(redelivered).toEqual(Array(during.length).fill(200));
    }
    await bot.bot.idle();
    const stored = (await bot.bot.deps.incidents.listEntries(incident.id)).filter((e) => e.kind === "message");
    expect(stored.map((e) => e.ts).sort()).toEqual([...expected, ...during.map((d) => d.event)].map((m) => m.ts).sort());
    for (const d of during) expect(stored.find((e) => e.ts === d.event.ts)?.text).toBe(d.event.text);
  }

  onPostgres(
    "refusing: events answered 500, /health 503; restored: /health 200 and redeliveries stored once, without a restart",
    async () => {
      const { bot, proxy, incident, before, during } = await startBehindProxy();

      // Cut: open connections reset, new ones refused.
      proxy.cut();
      expect(await Promise.all(during.map((d) => deliver(bot, d)))).toEqual(Array(20).fill(500)); // not acknowledged: Slack delivers them again
      expect(await health(bot)).toBe(503);
      // A command meanwhile is acknowledged and the person told it failed, with nothing half-done.
      await bot.command("severity sev2", { channel_id: incident.channelId, user_id: "UALICE" });
      expect(bot.lastReply()).toMatch(/sorry/i);
      expect(proxy.stats.refused).toBeGreaterThan(0);

      // Restored: the same process recovers on its own; nothing from the outage was half-stored.
      proxy.restore();
      await expectRecovery(bot, incident, [before], during);
      expect((await bot.bot.deps.incidents.getIncident(incident.id)).severity).toBe("sev1");
      await bot.command("severity sev2", { channel_id: incident.channelId, user_id: "UALICE" });
      expect((await bot.bot.deps.incidents.getIncident(incident.id)).severity).toBe("sev2");
    },
  );

  onPostgres(
    "not answering (packets dropped): events answered 500 and /health 503 within 8 s instead of hanging; recovered: each stored once",
    async () => {
      const { bot, proxy, incident, before, during } = await startBehindProxy();

      proxy.blackhole();
      // Slack gives up on an event after 3 s and redelivers it; a health probe gives up after its own
      // timeout. Either way the bot must answer (here: within 8 s), not hold requests forever.
      const bound = () => AbortSignal.timeout(8_000);
      const outage = during.slice(0, 5);
      const [healthStatus, ...events] = await Promise.all([health(bot, bound()), ...outage.map((d) => deliver(bot, d, {}, bound()))]);

      // Restored: what was held flows on, and Slack's redeliveries change nothing.
      proxy.restore();
      await expectRecovery(bot, incident, [before], outage);
      expect({ health: healthStatus, events }).toEqual({ health: 503, events: Array(outage.length).fill(500) });
    },
  );
});

describe("malformed requests to POST /slack/events", () => {
  let bot: TestBot;
  let incident: Incident;
  const tables = ["Incident", "RoleAssignment", "TimelineEntry", "TimelineRevision", "ActionItem", "Report", "UserProfile"];
  /** Row counts of every table: what "nothing was written" is checked against. */
  const rowCounts = async () => {
    const counts: Record<string, number> = {};
    for (const table of tables) {
      const [row] = await bot.bot.database.prisma.$queryRawUnsafe<{ n: bigint | number }[]>(`SELECT count(*) AS n FROM "${table}"`);
      counts[table] = Number(row!.n);
    }
    return counts;
  };
  /** Sends, waits for the answer (at most `limitMs`, then gives up: a request must be answered) and for the bot to be idle. */
  const answer = async (send: (signal: AbortSignal) => Promise<Response>, limitMs = 8_000) => {
    const status = await statusOf(send(AbortSignal.timeout(limitMs)));
    await bot.bot.idle();
    return status;
  };
  const post =
    (body: string, contentType: string, options: SendOptions = {}) =>
    (signal: AbortSignal) =>
      sendSigned(bot.eventsUrl, body, contentType, { ...options, signal });
  /** A slash command as Slack sends it, with `fields` replaced (undefined: left out). */
  const command = (fields: Record<string, string | undefined>) => {
    const responseUrl = bot.slack.responseUrl();
    const base = Object.fromEntries(
      new URLSearchParams(slashCommandBody({ text: "", channel_id: incident.channelId, response_url: responseUrl })),
    );
    const merged = Object.entries({ ...base, ...fields }).filter((e): e is [string, string] => e[1] !== undefined);
    return { body: new URLSearchParams(merged).toString(), responseUrl };
  };
  /** Calls that change something in Slack (channels, messages, pins). */
  const slackWrites = () =>
    bot.slack.calls.filter((c) =>
      ["conversations.create", "conversations.invite", "chat.postMessage", "chat.update", "pins.add"].includes(c.method),
    ).length;

  beforeAll(async () => {
    bot = await TestBot.start();
    incident = await declare(bot, "Malformed requests sev3");
  });
  afterAll(() => bot?.stop());

  const FORM = "application/x-www-form-urlencoded";
  const cases: [string, number, () => (signal: AbortSignal) => Promise<Response>][] = [
    ["invalid JSON, validly signed", 400, () => post('{"type":"event_callback","event":', "application/json")],
    ["a form whose payload is not JSON", 400, () => post("payload=%7Bnot-json", FORM)],
    ["an empty body", 400, () => post("", "application/json")],
    ["a text/plain body", 400, () => post("hello", "text/plain")],
    [
      "an unknown event type",
      200,
      () =>
        post(eventBody({ type: "made_up_event", channel: incident.channelId, user: "UBOB", ts: "1700000000.000001" }), "application/json"),
    ],
    [
      "a body over Bolt's 4 MB limit",
      413,
      () => post(eventBody(message(incident.channelId, "x".repeat(4 * 1024 * 1024))), "application/json"),
    ],
    [
      "a forged signature",
      401,
      () => post(eventBody(message(incident.channelId, "forged")), "application/json", { forgedSignature: `v0=${"0".repeat(64)}` }),
    ],
    [
      "a signature with another secret",
      401,
      () => post(eventBody(message(incident.channelId, "wrong secret")), "application/json", { secret: "not-the-signing-secret" }),
    ],
    [
      "a stale timestamp (10 minutes old, correctly signed)",
      401,
      () =>
        post(eventBody(message(incident.channelId, "replayed")), "application/json", { timestamp: Math.floor(Date.now() / 1000) - 600 }),
    ],
    [
      "a timestamp 10 minutes in the future (correctly signed)",
      401,
      () =>
        post(eventBody(message(incident.channelId, "from the future")), "application/json", {
          timestamp: Math.floor(Date.now() / 1000) + 600,
        }),
    ],
    [
      "the timestamp `Infinity` (a signature that would be valid forever)",
      401,
      () => post(eventBody(message(incident.channelId, "forever")), "application/json", { timestamp: Infinity }),
    ],
    [
      "a timestamp in exponent form (1e10)",
      401,
      () => post(eventBody(message(incident.channelId, "exponent")), "application/json", { timestamp: 1e10 }),
    ],
    ["JSON `null`, validly signed", 400, () => post("null", "application/json")],
    ["a JSON array, validly signed", 400, () => post("[]", "application/json")],
    ["a form whose payload is JSON `null`", 400, () => post("payload=null", FORM)],
    [
      "no signature headers",
      401,
      () => (signal) =>
        fetch(bot.eventsUrl, {
          method: "POST",
          signal,
          headers: { "content-type": "application/json" },
          body: eventBody(message(incident.channelId, "unsigned")),
        }),
    ],
    [
      "a signature of another body",
      401,
      () => {
        const timestamp = Math.floor(Date.now() / 1000);
        return post(eventBody(message(incident.channelId, "tampered")), "application/json", {
          timestamp,
          forgedSignature: signature(eventBody(message(incident.channelId, "original")), timestamp),
        });
      },
    ],
  ];

  it.each(cases)("%s: answered %p, nothing written", async (_name, expected, request) => {
    const before = await rowCounts();
    expect(await answer(request())).toBe(expected);
    expect(await rowCounts()).toEqual(before);
  });

  const noType =
    "bodies Bolt finds no type for (event_callback without `event`, an unknown top-level type, a command without `command`): " +
    "answered 404 by Bolt's 3 s no-ack timer, nothing written";
  it(noType, async () => {
    const before = await rowCounts();
    const statuses = await Promise.all([
      answer(
        post(JSON.stringify({ type: "event_callback", team_id: "T0ACME", api_app_id: "A0BOT", event_id: "EvNOEVENT" }), "application/json"),
      ),
      answer(
        post(
          JSON.stringify({ type: "app_rate_limited", team_id: "T0ACME", minute_rate_limited: 1, api_app_id: "A0BOT" }),
          "application/json",
        ),
      ),
      answer(post(command({ command: undefined, text: "log no command" }).body, FORM)),
    ]);
    expect(statuses).toEqual([404, 404, 404]);
    expect(await rowCounts()).toEqual(before);
  });

  // Slash commands missing fields Slack always sends: refused (200 with an explanation, or 400),
  // never half-done, and never answered as if they had worked.
  it.each([
    ["without `text`", { text: undefined }],
    ["without `trigger_id`", { text: "log first note without a trigger id", trigger_id: undefined }],
    ["without `trigger_id`, a second one", { text: "log second note without a trigger id", trigger_id: undefined }],
    ["without `user_id`", { text: "log a note by nobody", user_id: undefined, user_name: undefined }],
    ["`declare` without `user_id`", { text: "declare Nobody declared this", user_id: undefined, user_name: undefined }],
    ["without `channel_id`", { text: "status identified", channel_id: undefined, channel_name: undefined }],
  ])("a slash command %s: not a 5xx, nothing written", async (_name, fields) => {
    const [rowsBefore, slackBefore] = [await rowCounts(), slackWrites()];
    const { body, responseUrl } = command({ trigger_id: `${Date.now()}.${Math.random().toString(36).slice(2)}`, ...fields });
    const status = await answer(post(body, FORM));
    expect([200, 400]).toContain(status);
    expect(await rowCounts()).toEqual(rowsBefore);
    expect(slackWrites()).toBe(slackBefore);
    expect(bot.answersTo(responseUrl).map((r) => String(r.text))).not.toContainEqual(expect.stringMatching(/^(Logged|Declared)/));
  });

  it("still answers /health and handles a valid command and event afterwards", async () => {
    expect((await fetch(`${bot.url}/health`)).status).toBe(200);
    expect((await bot.command("log all malformed requests refused", { channel_id: incident.channelId, user_id: "UALICE" })).status).toBe(
      200,
    );
    expect(bot.lastReply()).toContain("Logged: all malformed requests refused");
    const said = message(incident.channelId, "still recording");
    expect((await bot.event(said)).status).toBe(200);
    const entries = await bot.bot.deps.incidents.listEntries(incident.id);
    expect(entries.map((e) => e.text)).toEqual(expect.arrayContaining(["all malformed requests refused", "still recording"]));
    expect(entries.filter((e) => e.kind === "message")).toHaveLength(1);
  });
});
