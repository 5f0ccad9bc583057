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

describe("INCIDENTS_CHANNEL and INVITE_ON_DECLARE", () => {
  it("reads the announcement channel and, per severity, the users and user groups to invite", () => {
    const config = loadConfig({ ...required, INCIDENTS_CHANNEL: "C0INCIDENTS", INVITE_ON_DECLARE: "sev1=S0SRE, U0ALICE ; SEV2=S0SRE;" });
    expect(config.assemble).toEqual({
      incidentsChannelId: "C0INCIDENTS",
      inviteOnDeclare: { sev1: ["S0SRE", "U0ALICE"], sev2: ["S0SRE"] },
    });
    expect(loadConfig(required).assemble).toEqual({ incidentsChannelId: undefined, inviteOnDeclare: {} });
  });

  it("names each mistake and what to write instead", () => {
    const badChannel = () => loadConfig({ ...required, INCIDENTS_CHANNEL: "#incidents" });
    expect(badChannel).toThrow(/INCIDENTS_CHANNEL should be a Slack channel id \(C…\)/);
    const problems = (value: string) => {
      try {
        loadConfig({ ...required, INVITE_ON_DECLARE: value });
      } catch (error) {
        return (error as ConfigError).problems;
      }
      return [];
    };
    const notASeverity = /^INVITE_ON_DECLARE has “sev5=S0SRE”: each part should be a severity \(sev1…sev4\)/;
    expect(problems("sev5=S0SRE")).toEqual([expect.stringMatching(notASeverity)]);
    expect(problems("sev1=@sre")).toEqual([expect.stringMatching(/^INVITE_ON_DECLARE has “sev1=@sre”: sev1 should list Slack user ids/)]);
    expect(problems("sev1=")).toEqual([expect.stringMatching(/sev1 should list Slack user ids/)]);
    expect(problems("sev1=S0SRE;sev1=U0BOB")).toEqual(["INVITE_ON_DECLARE names sev1 twice: give each severity one list"]);
    expect(problems("sev1=S0SRE;sev2")).toHaveLength(1);
  });
});
