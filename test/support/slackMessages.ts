// Slack events the end-to-end files send over and over: a person's message in a channel, a 📌 on
// it, and the LEAP outage replayed as pinned messages. Shapes are as Slack's Events API sends them.
import { dateToSlackTs } from "../../src/incidents/slackTime.js";
import { readLeapOutageTimeline } from "./fixture.js";
import type { TestBot } from "./testBot.js";

let tsSeq = 0;
/** A Slack ts for now, unique within the file (the sequence fills the microseconds). */
export function uniqueTsNow(): string {
  const ms = Date.now();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000 + (++tsSeq % 1000)).padStart(6, "0")}`;
}

/** A `message` event: `user` (UBOB unless given) posts `text` in `channel` at `ts`. */
export const messageEvent = (
  channel: string,
  text: string,
  { user = "UBOB", ts, ...extra }: { user?: string; ts: string } & Record<string, unknown>,
) => ({
  type: "message",
  channel,
  user,
  text,
  ts,
  channel_type: "channel",
  ...extra,
});

/** `user` (UALICE unless given) reacts :pushpin: to the message at `ts`, which makes it a highlight. */
export const pushpinEvent = (channel: string, ts: string, user = "UALICE") => ({
  type: "reaction_added",
  user,
  reaction: "pushpin",
  item: { type: "message", channel, ts },
  event_ts: ts,
});

/** A message posted and pinned with 📌, as a team marks the moments of an incident. */
export async function postPinned(bot: TestBot, channel: string, message: { user?: string; text: string; ts: string }, pinnedBy = "UALICE") {
  await bot.event(messageEvent(channel, message.text, message));
  await bot.event(pushpinEvent(channel, message.ts, pinnedBy));
}

/** The LEAP outage (test/fixtures) replayed in `channel`: each of its messages at its own time, by UBOB, pinned by UALICE. */
export async function replayLeapOutage(bot: TestBot, channel: string) {
  const timeline = await readLeapOutageTimeline();
  for (const row of timeline) await postPinned(bot, channel, { user: "UBOB", text: row.text, ts: dateToSlackTs(row.at) });
  return timeline;
}
