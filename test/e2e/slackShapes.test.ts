// Messages in the shapes Slack really sends, beyond plain text: a thread parent deleted after it had
// replies (a "tombstone"), a forwarded message (its words in an is_share attachment), and a message
// whose words are only in rich_text blocks. Payloads are copied in shape from Slack's docs or from
// real payloads others recorded (cited at each); each goes through the signed receiver.
import { loadReport } from "../../src/incidents/report/review.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot;
let channel: string;
let incidentId: string;
let seq = 0;

/** A unique Slack ts `seconds` seconds ago. */
const tsAgo = (seconds: number) => `${Math.floor(Date.now() / 1000) - seconds}.${String(++seq).padStart(6, "0")}`;
const byTs = async (ts: string) => (await bot.bot.deps.incidents.listEntries(incidentId)).find((e) => e.ts === ts);

beforeAll(async () => {
  bot = await TestBot.start();
  const incident = await bot.declare("Checkout latency spike sev2");
  channel = incident.channelId;
  incidentId = incident.id;
});
afterAll(() => bot.stop());

describe("a thread parent deleted after it had replies", () => {
  it("is recorded as a deletion of the parent, and its replies stay", async () => {
    const parent = tsAgo(300);
    const reply = tsAgo(290);
    await bot.event({ type: "message", channel, user: "UBOB", text: "I restarted the payments pods", ts: parent, channel_type: "channel" });
    await bot.event({
      type: "message",
      channel,
      user: "UCAROL",
      text: "latency is back to normal",
      ts: reply,
      thread_ts: parent,
      parent_user_id: "UBOB",
      channel_type: "channel",
    });

    // message_changed (https://docs.slack.dev/reference/events/message/message_changed/) whose message is
    // the tombstone Slack leaves in place of the parent; its shape as recorded from real workspaces in
    // slack-edge/slack-edge#10 and 42wim/matterbridge#600.
    const eventTs = tsAgo(10);
    await bot.event({
      type: "message",
      subtype: "message_changed",
      message: {
        type: "message",
        subtype: "tombstone",
        text: "This message was deleted.",
        user: "USLACKBOT",
        hidden: true,
        ts: parent,
        thread_ts: parent,
        parent_user_id: "USLACKBOT",
        reply_count: 1,
        reply_users_count: 1,
        latest_reply: reply,
        reply_users: ["UCAROL"],
        is_locked: false,
      },
      previous_message: {
        client_msg_id: "2b4f6a5e-0c1d-4f43-9a3f-6b1f0b7c8d11",
        type: "message",
        text: "I restarted the payments pods",
        user: "UBOB",
        ts: parent,
        team: "T0ACME",
        thread_ts: parent,
        reply_count: 1,
        reply_users_count: 1,
        latest_reply: reply,
        reply_users: ["UCAROL"],
        is_locked: false,
        subscribed: false,
      },
      channel,
      hidden: true,
      ts: eventTs,
      event_ts: eventTs,
      channel_type: "channel",
    });

    const deleted = await byTs(parent);
    expect(deleted).toMatchObject({ deleted: true, text: "I restarted the payments pods" });
    expect(await byTs(reply)).toMatchObject({ deleted: false, text: "latency is back to normal", threadTs: parent });
    // The tombstone's own text never becomes an entry.
    expect((await bot.bot.deps.incidents.listEntries(incidentId)).some((e) => e.text.includes("This message was deleted"))).toBe(false);
  });
});

/**
 * A forwarded message, as Slack delivers it: empty `text`, the original in an attachment flagged
 * is_share. Shape as in the real payload quoted in ocf/slackbridge#60 (and described in
 * slackapi/slack-skills-plugin#149), ids changed.
 */
function forwarded(ts: string, extra: Record<string, unknown> = {}) {
  return {
    type: "message",
    channel,
    user: "UCAROL",
    text: "",
    ts,
    event_ts: ts,
    team: "T0ACME",
    channel_type: "channel",
    attachments: [
      {
        is_msg_unfurl: true,
        is_share: true,
        author_icon: "https://avatars.slack-edge.com/2025-01-01/dave_48.png",
        color: "D0D0D0",
        fallback: "[August 12th, 2025 4:31 PM] dave: payments p99 is 4s since the 16:20 deploy",
        author_name: "Dave Diaz",
        author_subname: "dave",
        mrkdwn_in: ["text"],
        footer: "Posted in #payments-alerts",
        channel_id: "C0PAYALERT",
        channel_name: "payments-alerts",
        text: "payments p99 is 4s since the 16:20 deploy",
        from_url: "https://acme.slack.com/archives/C0PAYALERT/p1755012660123456",
        author_id: "UDAVE",
        author_link: "https://acme.slack.com/team/UDAVE",
        ts: "1755012660.123456",
      },
    ],
    ...extra,
  };
}

describe("a forwarded message", () => {
  it("keeps the forwarded words, saying where they came from, and the report shows names", async () => {
    const ts = tsAgo(200);
    await bot.event(forwarded(ts));
    const entry = await byTs(ts);
    expect(entry?.text).toBe(
      "Forwarded from <#C0PAYALERT|payments-alerts> (<@UDAVE|Dave Diaz>): payments p99 is 4s since the 16:20 deploy",
    );
    await bot.event({ type: "reaction_added", user: "UALICE", reaction: "pushpin", item: { type: "message", channel, ts }, event_ts: ts });
    const { compiled } = await loadReport(bot.bot.deps, incidentId);
    expect(compiled.sections.timeline.markdown).toContain(
      "@carol: Forwarded from #payments-alerts (@dave): payments p99 is 4s since the 16:20 deploy",
    );
  });

  it("keeps the comment the forwarder added, then the forwarded words", async () => {
    const ts = tsAgo(190);
    await bot.event(forwarded(ts, { text: "this is when it started" }));
    expect((await byTs(ts))?.text).toBe(
      "this is when it started\nForwarded from <#C0PAYALERT|payments-alerts> (<@UDAVE|Dave Diaz>): payments p99 is 4s since the 16:20 deploy",
    );
  });

  it("uses the fallback when the shared message has no text", async () => {
    const ts = tsAgo(180);
    const event = forwarded(ts);
    delete (event.attachments[0] as Record<string, unknown>).text;
    await bot.event(event);
    expect((await byTs(ts))?.text).toBe(
      "Forwarded from <#C0PAYALERT|payments-alerts> (<@UDAVE|Dave Diaz>): [August 12th, 2025 4:31 PM] dave: payments p99 is 4s since the 16:20 deploy",
    );
  });

  it("ignores link unfurls, which are attachments that are not shares", async () => {
    const ts = tsAgo(170);
    await bot.event({
      type: "message",
      channel,
      user: "UBOB",
      text: "dashboard: <https://grafana.acme.dev/d/payments>",
      ts,
      channel_type: "channel",
      attachments: [
        {
          from_url: "https://grafana.acme.dev/d/payments",
          title: "Payments",
          text: "Grafana dashboard",
          fallback: "Grafana: Payments",
          service_name: "Grafana",
          id: 1,
        },
      ],
    });
    expect((await byTs(ts))?.text).toBe("dashboard: <https://grafana.acme.dev/d/payments>");
  });
});

describe("a message whose words are only in rich_text blocks", () => {
  it("is recorded from the blocks, with code, quotes, lists, mentions and links kept", async () => {
    const ts = tsAgo(160);
    // A rich_text block as in https://docs.slack.dev/reference/block-kit/blocks/rich-text-block/
    await bot.event({
      type: "message",
      channel,
      user: "UBOB",
      text: "",
      ts,
      channel_type: "channel",
      blocks: [
        {
          type: "rich_text",
          block_id: "Vrzsu",
          elements: [
            {
              type: "rich_text_section",
              elements: [
                { type: "text", text: "Rolled back with " },
                { type: "user", user_id: "UCAROL" },
                { type: "text", text: " per " },
                { type: "link", url: "https://runbooks.acme.dev/payments", text: "the runbook" },
                { type: "text", text: " " },
                { type: "emoji", name: "white_check_mark", unicode: "2705" },
                { type: "text", text: "\n" },
              ],
            },
            { type: "rich_text_preformatted", elements: [{ type: "text", text: "$ kubectl rollout undo deploy/payments" }] },
            { type: "rich_text_quote", elements: [{ type: "text", text: "p99 < 300ms & falling" }] },
            {
              type: "rich_text_list",
              style: "bullet",
              indent: 0,
              elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "watch the error rate" }] }],
            },
          ],
        },
      ],
    });
    expect((await byTs(ts))?.text).toBe(
      "Rolled back with <@UCAROL> per <https://runbooks.acme.dev/payments|the runbook> :white_check_mark:\n\n```$ kubectl rollout undo deploy/payments```\n&gt; p99 &lt; 300ms &amp; falling\n• watch the error rate",
    );
  });

  it("prefers the text when the message has both", async () => {
    const ts = tsAgo(150);
    await bot.event({
      type: "message",
      channel,
      user: "UBOB",
      text: "plain words win",
      ts,
      channel_type: "channel",
      blocks: [
        { type: "rich_text", block_id: "x", elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "block words" }] }] },
      ],
    });
    expect((await byTs(ts))?.text).toBe("plain words win");
  });
});

describe("a forwarded message read back after the bot was away", () => {
  it("keeps its forwarded words through history backfill", async () => {
    const ts = tsAgo(100);
    const { channel: _channel, event_ts: _eventTs, channel_type: _type, ...historyItem } = forwarded(ts);
    bot.slack.history.set(channel, [historyItem]);
    bot = await bot.restart();
    await bot.bot.idle();
    expect((await byTs(ts))?.text).toBe(
      "Forwarded from <#C0PAYALERT|payments-alerts> (<@UDAVE|Dave Diaz>): payments p99 is 4s since the 16:20 deploy",
    );
  });
});
