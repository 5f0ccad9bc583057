// The environment, read once: the break-glass admins list.
import { ConfigError, loadConfig } from "../../src/config/index.js";

const required = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_APP_TOKEN: "xapp-1-test" };

describe("INCIDENT_ADMINS", () => {
  it("takes user ids (U…, W… on Enterprise Grid) and user group ids (S…), separated by commas or spaces", () => {
    expect(loadConfig({ ...required, INCIDENT_ADMINS: "U0123ABCD, W0456EFGH S0789IJKL" }).incidentAdmins).toEqual(["U0123ABCD", "W0456EFGH", "S0789IJKL"]);
    expect(loadConfig(required).incidentAdmins).toEqual([]);
  });

  it("refuses names and mentions, saying what to write instead", () => {
    expect(() => loadConfig({ ...required, INCIDENT_ADMINS: "@alice,<@U0123ABCD>" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...required, INCIDENT_ADMINS: "@alice" })).toThrow(/INCIDENT_ADMINS should be Slack user ids \(U…\/W…\) and user group ids \(S…\)/);
  });
});
