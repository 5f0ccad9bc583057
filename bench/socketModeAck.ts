// What store-then-ack costs in Socket Mode: the time from Slack sending an Events API envelope to
// our ack arriving, with a listener whose write takes about 1 ms, for a burst of 2,000 events and
// for events one at a time. Slack redelivers what is not acknowledged within about 3 s, so that is
// the figure to stay well under. Run: npx tsx bench/socketModeAck.ts
// Bot, FakeSlack and the Socket Mode fake share this process (and its event loop), so the figures
// include the fake's own work; they are an upper bound for the receiver.
import { App, LogLevel, type Logger } from "@slack/bolt";
import { SocketModeReceiver } from "../src/slack/socketModeReceiver.js";
import { FakeSlack } from "../test/support/fakeSlack.js";
import { FakeSocketMode } from "../test/support/fakeSocketMode.js";
import { heading, median, ms, num, percentile, table } from "./stats.js";

const BURST = 2_000;
const ONE_BY_ONE = 200;

const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

function messageEnvelope(n: number) {
  const ts = `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, "0")}`;
  return {
    team_id: "T0ACME",
    api_app_id: "A0FAKEAPP",
    type: "event_callback",
    event_id: `Ev${n}`,
    event: { type: "message", channel: "C0INCIDENT", user: "UALICE", text: `message ${n}`, ts, event_ts: ts },
  };
}

async function measure(writeMs: number) {
  const slack = await FakeSlack.start();
  // No redelivery during the run: a slow ack should show as latency, not as a duplicate.
  const socket = await FakeSocketMode.start({ ackTimeoutMs: 60_000 });
  slack.socketMode = socket;
  const receiver = new SocketModeReceiver({ appToken: "xapp-bench", logger: silent, slackApiUrl: slack.apiUrl });
  const app = new App({
    token: "xoxb-bench",
    receiver,
    logger: silent,
    clientOptions: { slackApiUrl: slack.apiUrl },
    convoStore: false,
    deferInitialization: true,
  });
  let stored = 0;
  app.event("message", async () => {
    if (writeMs > 0) await new Promise((resolve) => setTimeout(resolve, writeMs));
    stored += 1;
  });
  await app.init();
  await app.start();

  const latency = (id: string) => socket.ackFor(id)!.at - socket.deliveriesOf(id)[0]!;
  let n = 0;
  const started = Date.now();
  const burstIds = Array.from({ length: BURST }, () => socket.deliver(messageEnvelope(++n)));
  await Promise.all(burstIds.map((id) => socket.waitForAck(id, 60_000)));
  const burstWallMs = Date.now() - started;
  const burst = burstIds.map(latency);

  const single: number[] = [];
  for (let i = 0; i < ONE_BY_ONE; i++) {
    const id = socket.deliver(messageEnvelope(++n));
    await socket.waitForAck(id);
    single.push(latency(id));
  }

  await app.stop();
  await socket.close();
  await slack.close();
  if (stored !== BURST + ONE_BY_ONE) throw new Error(`stored ${stored} of ${BURST + ONE_BY_ONE}`);
  return { burst, burstWallMs, single };
}

const rows = [["listener", "events", "ack median", "ack p99", "ack max", "burst wall time"]];
for (const writeMs of [1, 0]) {
  const { burst, burstWallMs, single } = await measure(writeMs);
  const name = writeMs ? `${writeMs} ms async write` : "no write (reference)";
  rows.push([
    name,
    `burst of ${num(BURST)}`,
    ms(median(burst), 0),
    ms(percentile(burst, 0.99), 0),
    ms(Math.max(...burst), 0),
    ms(burstWallMs, 0),
  ]);
  rows.push([name, `${ONE_BY_ONE} one at a time`, ms(median(single), 0), ms(percentile(single, 0.99), 0), ms(Math.max(...single), 0), ""]);
}
console.log(heading("Socket Mode: envelope sent -> ack received (store-then-ack)"));
console.log(table(rows));
console.log("\nTimes are whole milliseconds (Date.now()); Slack redelivers after about 3 s.");
