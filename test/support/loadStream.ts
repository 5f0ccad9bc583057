// Streams of Slack requests for load tests: many distinct message events, some delivered twice
// the way Slack redelivers (same body, same event id, x-slack-retry-num / x-slack-retry-reason),
// sent in bursts of concurrent requests. Everything is seeded, so a run is reproducible.
import { eventBody, sendSigned } from "./slackRequests.js";

/** A small seeded PRNG (mulberry32): the same seed gives the same stream. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LoadMessage {
  ts: string;
  text: string;
  user: string;
  threadTs?: string;
}

/** One HTTP request of the stream: the first delivery of an event, or Slack redelivering it. */
export interface LoadRequest {
  message: LoadMessage;
  eventId: string;
  /** The signed body; a redelivery sends the very same bytes (with a fresh signature). */
  body: string;
  retryNum?: number;
  retryReason?: string;
}

const USERS = ["UALICE", "UBOB", "UCAROL", "UDAVE"];

/**
 * `count` distinct messages in `channel`, with Slack timestamps one millisecond apart starting at
 * `startSeconds`; about one in ten is a thread reply to an earlier message.
 */
export function messageStream(channel: string, count: number, options: { startSeconds: number; random: () => number; prefix?: string }) {
  const messages: LoadMessage[] = [];
  const prefix = options.prefix ?? "load";
  for (let i = 0; i < count; i++) {
    const ms = options.startSeconds * 1000 + i;
    const ts = `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000 + 1).padStart(6, "0")}`;
    const parent = i > 10 && options.random() < 0.1 ? messages[Math.floor(options.random() * (i - 1))] : undefined;
    messages.push({
      ts,
      text: `${prefix} message ${i}: ${options.random().toString(36).slice(2)}`,
      user: USERS[i % USERS.length]!,
      ...(parent && !parent.threadTs ? { threadTs: parent.ts } : {}),
    });
  }
  const requests = messages.map((message, i): LoadRequest => {
    const eventId = `Ev${prefix.toUpperCase()}${String(i).padStart(7, "0")}`;
    const event = {
      type: "message",
      channel,
      user: message.user,
      text: message.text,
      ts: message.ts,
      event_ts: message.ts,
      channel_type: "channel",
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    };
    return { message, eventId, body: eventBody(event, eventId) };
  });
  return { messages, requests };
}

/**
 * The order requests arrive in: every first delivery once, plus a redelivery of `redeliverShare`
 * of them. About half of the redeliveries land in the same burst as the original (the two race),
 * the others one to three bursts later (Slack retrying after a timeout).
 */
export function withRedeliveries(
  requests: LoadRequest[],
  options: { redeliverShare: number; burst: number; random: () => number },
): LoadRequest[] {
  const { burst, random } = options;
  const order = [...requests];
  // Shuffle (Fisher-Yates) so bursts mix threads, users and timestamps.
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const chosen = new Set<number>();
  const wanted = Math.round(requests.length * options.redeliverShare);
  while (chosen.size < wanted) chosen.add(Math.floor(random() * order.length));
  const inserts: { at: number; request: LoadRequest }[] = [];
  for (const index of chosen) {
    const original = order[index]!;
    const sameBurst = random() < 0.5;
    const burstStart = Math.floor(index / burst) * burst;
    const at = sameBurst
      ? burstStart + Math.floor(random() * burst)
      : Math.min(order.length, (Math.floor(index / burst) + 1 + Math.floor(random() * 3)) * burst + Math.floor(random() * burst));
    inserts.push({ at, request: { ...original, retryNum: 1, retryReason: random() < 0.5 ? "http_timeout" : "http_error" } });
  }
  // Insert from the back so earlier positions stay valid.
  inserts.sort((a, b) => b.at - a.at);
  for (const { at, request } of inserts) order.splice(at, 0, request);
  return order;
}

export interface SendResult {
  request: LoadRequest;
  status: number;
}

/** Sends `requests` in bursts of `burst` concurrent requests; `target` picks the URL per request. */
export async function sendInBursts(
  requests: LoadRequest[],
  burst: number,
  target: (request: LoadRequest, index: number) => string,
): Promise<SendResult[]> {
  const results: SendResult[] = [];
  for (let start = 0; start < requests.length; start += burst) {
    const batch = requests.slice(start, start + burst);
    results.push(
      ...(await Promise.all(
        batch.map(async (request, i) => {
          const response = await sendSigned(target(request, start + i), request.body, "application/json", {
            retryNum: request.retryNum,
            retryReason: request.retryReason,
          });
          await response.arrayBuffer();
          return { request, status: response.status };
        }),
      )),
    );
  }
  return results;
}
