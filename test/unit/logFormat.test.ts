// Logs read comfortably in a terminal and parse as JSON everywhere else; LOG_FORMAT decides when set.
import { Writable } from "node:stream";
import { ConfigError, loadConfig } from "../../src/config/index.js";
import { chooseLogFormat, createLogger } from "../../src/log.js";

const required = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_APP_TOKEN: "xapp-1-test" };

function capture() {
  let text = "";
  const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => ((text += chunk.toString()), done()) });
  return { stream, text: () => text };
}

describe("log format", () => {
  it("is pretty on a terminal and JSON otherwise, unless LOG_FORMAT says", () => {
    expect(chooseLogFormat(undefined, true)).toBe("pretty");
    expect(chooseLogFormat(undefined, false)).toBe("json");
    expect(chooseLogFormat("json", true)).toBe("json");
    expect(chooseLogFormat("pretty", false)).toBe("pretty");
  });

  it("writes one JSON record per line, with tokens redacted", () => {
    const out = capture();
    createLogger("info", out.stream, "json").info({ token: "xoxb-secret" }, "started");
    const record = JSON.parse(out.text().trim()) as Record<string, unknown>;
    expect(record).toMatchObject({ msg: "started", token: "[redacted]", app: "incident-bot" });
  });

  it("writes readable lines when pretty", () => {
    const out = capture();
    createLogger("info", out.stream, "pretty").info("started");
    expect(out.text()).toMatch(/INFO.*started/);
    expect(() => JSON.parse(out.text())).toThrow();
  });

  it("refuses a LOG_FORMAT it does not know, with the others named", () => {
    expect(() => loadConfig({ ...required, LOG_FORMAT: "yaml" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...required, LOG_FORMAT: "yaml" })).toThrow(/LOG_FORMAT should be json or pretty/);
    expect(loadConfig({ ...required, LOG_FORMAT: "pretty" }).logFormat).toBe("pretty");
  });
});
