// POST /slack/events is public, and what an unauthenticated client can make the bot hold is the
// bodies it reads before it knows who sent them. So a request without a fresh Slack timestamp and a
// well-formed signature is refused before a byte of its body is read; the bodies that are read
// before their signature is checked have a total cap (503 with Retry-After beyond it), of which
// large bodies get only a share; and Slack's own requests keep being answered meanwhile. GitHub's
// webhook, the other route anyone can post to, refuses unsigned deliveries unread the same way.
// (The memory this saves is measured by bench/unverifiedFlood.ts.)
import { createConnection, type Socket } from "node:net";
import { MAX_BODY_BYTES, UNVERIFIED_BODY_LIMITS } from "../../src/slack/requestChecks.js";
import { signature } from "../support/slackRequests.js";
import { TestBot } from "../support/testBot.js";

let bot: TestBot;
const open: Socket[] = [];
beforeAll(async () => {
  bot = await TestBot.start();
});
afterAll(async () => {
  for (const socket of open) socket.destroy();
  await bot?.stop();
});

const now = () => Math.floor(Date.now() / 1000);

/**
 * Starts a POST /slack/events by hand: its headers, and only `sent` bytes of a body of `length`.
 * `answer` resolves with the status line and headers as soon as the bot answers (or "" if the bot
 * closes without answering).
 */
function partialRequest(headers: Record<string, string | number>, length: number, sent = 0, path = "/slack/events") {
  const socket = createConnection({ host: "127.0.0.1", port: bot.bot.port });
  open.push(socket);
  let received = "";
  const answer = new Promise<string>((resolve) => {
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      if (received.includes("\r\n\r\n")) resolve(received.slice(0, received.indexOf("\r\n\r\n")));
    });
    socket.on("close", () => resolve(received));
    socket.on("error", () => {});
  });
  const all = { host: "bot", "content-type": "application/json", "content-length": length, ...headers };
  const lines = Object.entries(all).map(([k, v]) => `${k}: ${v}`);
  socket.write(`POST ${path} HTTP/1.1\r\n${lines.join("\r\n")}\r\n\r\n`);
  if (sent > 0) socket.write(Buffer.alloc(sent, 0x20));
  return { socket, answer };
}

/** A fresh timestamp with a signature that is well-formed but not the body's: read, then refused. */
const wellFormed = () => ({ "x-slack-request-timestamp": now(), "x-slack-signature": signature(`not this body ${Math.random()}`, now()) });

const statusOf = (head: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)));
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe("requests refused before their body is read", () => {
  it.each([
    ["no Slack headers", {}],
    ["a signature but no timestamp", { "x-slack-signature": `v0=${"0".repeat(64)}` }],
    ["a timestamp but no signature", { "x-slack-request-timestamp": String(now()) }],
    ["a malformed signature", { "x-slack-request-timestamp": String(now()), "x-slack-signature": "v0=not-hex" }],
    ["a signature of another version", { "x-slack-request-timestamp": String(now()), "x-slack-signature": `v1=${"a".repeat(64)}` }],
    ["a timestamp 10 minutes old", { "x-slack-request-timestamp": String(now() - 600), "x-slack-signature": `v0=${"a".repeat(64)}` }],
    ["a timestamp 10 minutes ahead", { "x-slack-request-timestamp": String(now() + 600), "x-slack-signature": `v0=${"a".repeat(64)}` }],
  ])("%s: 401 while the 4 MiB body has not even been sent, and the connection closes", async (_name, headers) => {
    const { answer } = partialRequest(headers, MAX_BODY_BYTES);
    const head = await within(answer, 10_000);
    expect(statusOf(head)).toBe(401);
    expect(head.toLowerCase()).toContain("connection: close");
  });

  it("a body declared over 4 MiB: 413, unread", async () => {
    const { answer } = partialRequest(wellFormed(), MAX_BODY_BYTES + 1);
    expect(statusOf(await within(answer, 10_000))).toBe(413);
  });

  it("headers that could be Slack's are read: nothing is answered until the body has arrived, then 401 for a wrong signature", async () => {
    const { socket, answer } = partialRequest(wellFormed(), 1_000, 500);
    const early = await Promise.race([answer, new Promise<string>((resolve) => setTimeout(() => resolve("still reading"), 500))]);
    expect(early).toBe("still reading");
    socket.write(Buffer.alloc(500, 0x20));
    expect(statusOf(await within(answer, 10_000))).toBe(401);
  });
});

describe("the cap on bodies read before they are verified", () => {
  it("answers 503 with Retry-After past the large bodies' share, answers Slack meanwhile, and frees the room after", async () => {
    const incident = await bot.declare("Flood drill sev3", "UALICE");
    // Large bodies that are still arriving hold the large share (reserved by their declared length).
    const room = Math.floor(UNVERIFIED_BODY_LIMITS.largeBytes / MAX_BODY_BYTES);
    const held = Array.from({ length: room }, () => partialRequest(wellFormed(), MAX_BODY_BYTES, 1_024));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const refused = partialRequest(wellFormed(), MAX_BODY_BYTES);
    const head = await within(refused.answer, 10_000);
    expect(statusOf(head)).toBe(503);
    expect(head.toLowerCase()).toContain("retry-after: 1");

    // Small bodies still have room: Slack's requests are answered and stored, a forged one refused.
    const ts = `${now() - 5}.000100`;
    const said = { type: "message", channel: incident.channelId, user: "UBOB", text: "still recorded during the flood", ts };
    const response = await bot.event(said);
    expect(response.status).toBe(200);
    expect((await bot.bot.deps.incidents.listEntries(incident.id)).map((e) => e.text)).toContain("still recorded during the flood");
    const small = partialRequest(wellFormed(), UNVERIFIED_BODY_LIMITS.smallBodyBytes, UNVERIFIED_BODY_LIMITS.smallBodyBytes);
    expect(statusOf(await within(small.answer, 10_000))).toBe(401);
    const signedCommand = await bot.command("log the flood is refused", { channel_id: incident.channelId, user_id: "UALICE" });
    expect(signedCommand.status).toBe(200);

    // The held bodies end (their clients go away): their room is free again.
    for (const { socket } of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const admitted = partialRequest(wellFormed(), MAX_BODY_BYTES, 1_024);
    const notYet = await Promise.race([admitted.answer, new Promise<string>((resolve) => setTimeout(() => resolve("being read"), 500))]);
    expect(notYet).toBe("being read");
    admitted.socket.destroy();
  });

  it("still takes a real event with its body in full", async () => {
    const incident = await bot.declare("After the drill sev3", "UALICE");
    const text = "y".repeat(50_000);
    const ts = `${now() - 5}.000200`;
    expect((await bot.event({ type: "message", channel: incident.channelId, user: "UBOB", text, ts })).status).toBe(200);
    expect((await bot.bot.deps.incidents.listEntries(incident.id)).find((e) => e.ts === ts)?.text).toBe(text);
  });
});

describe("GitHub's webhook, the other route anyone can post to", () => {
  const delivery = { "x-github-event": "issues", "x-github-delivery": "d-1" };

  it.each([
    ["no signature", {}],
    ["a signature of another kind", { "x-hub-signature": `sha1=${"a".repeat(40)}` }],
    ["a malformed signature", { "x-hub-signature-256": "sha256=not-hex" }],
  ])("%s: 401 before the body is read", async (_name, headers) => {
    const { answer } = partialRequest({ ...delivery, ...headers }, 1024 * 1024, 0, "/github/webhook");
    const head = await within(answer, 10_000);
    expect(statusOf(head)).toBe(401);
    expect(head.toLowerCase()).toContain("connection: close");
  });

  it("reads a delivery with a well-formed signature, then refuses a wrong one", async () => {
    const signed = { ...delivery, "x-hub-signature-256": `sha256=${"a".repeat(64)}` };
    const { socket, answer } = partialRequest(signed, 200, 100, "/github/webhook");
    const early = await Promise.race([answer, new Promise<string>((resolve) => setTimeout(() => resolve("still reading"), 500))]);
    expect(early).toBe("still reading");
    socket.write(Buffer.alloc(100, 0x20));
    expect(statusOf(await within(answer, 10_000))).toBe(401);
  });
});
