// The environment, read once: the break-glass admins list.
import { ConfigError, loadConfig } from "../../src/config/index.js";

const required = { SLACK_BOT_TOKEN: "xoxb-test", SLACK_APP_TOKEN: "xapp-1-test" };

describe("INCIDENT_ADMINS", () => {
  it("takes user ids (U…, W… on Enterprise Grid) and user group ids (S…), separated by commas or spaces", () => {
    expect(loadConfig({ ...required, INCIDENT_ADMINS: "U0123ABCD, W0456EFGH S0789IJKL" }).incidentAdmins).toEqual([
      "U0123ABCD",
      "W0456EFGH",
      "S0789IJKL",
    ]);
    expect(loadConfig(required).incidentAdmins).toEqual([]);
  });

  it("refuses names and mentions, saying what to write instead", () => {
    expect(() => loadConfig({ ...required, INCIDENT_ADMINS: "@alice,<@U0123ABCD>" })).toThrow(ConfigError);
    expect(() => loadConfig({ ...required, INCIDENT_ADMINS: "@alice" })).toThrow(
      /INCIDENT_ADMINS should be Slack user ids \(U…\/W…\) and user group ids \(S…\)/,
    );
  });
});

describe("INCIDENTS_CHANNEL and INVITE_ON_DECLARE", () => {
  it("reads the announcement channel and, per severity, the users and user groups to invite", () => {
    const config = loadConfig({ ...required, INCIDENTS_CHANNEL: "C0INCIDENTS", INVITE_ON_DECLARE: "sev1=S0SRE, U0ALICE ; SEV2=S0SRE;" });
    expect(config.assemble).toEqual({
      incidentsChannelId: "C0INCIDENTS",
      inviteOnDeclare: { sev1: ["S0SRE", "U0ALICE"], sev2: ["S0SRE"] },
      inviteOnDeclarePrivate: {},
    });
    expect(loadConfig(required).assemble).toEqual({ incidentsChannelId: undefined, inviteOnDeclare: {}, inviteOnDeclarePrivate: {} });
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

describe("private incidents' settings", () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ ...required, ...env });
    } catch (error) {
      return (error as ConfigError).problems;
    }
    return [];
  };

  it("reads INVITE_ON_DECLARE_PRIVATE as INVITE_ON_DECLARE, and the private repositories", () => {
    const config = loadConfig({
      ...required,
      INVITE_ON_DECLARE_PRIVATE: "sev1=S0SEC",
      GITHUB_TOKEN: "ghp_x",
      PRIVATE_GITHUB_REPOSITORY: "acme/security",
      PRIVATE_REPORTS_REPOSITORY: "acme/security-reports",
    });
    expect(config.assemble.inviteOnDeclarePrivate).toEqual({ sev1: ["S0SEC"] });
    expect(config.github).toMatchObject({
      privateRepository: { owner: "acme", repo: "security" },
      privateReportsRepository: { owner: "acme", repo: "security-reports" },
    });
    const wrong = problems({ INVITE_ON_DECLARE_PRIVATE: "sev9=S0SEC" });
    expect(wrong).toEqual([expect.stringMatching(/^INVITE_ON_DECLARE_PRIVATE has “sev9=S0SEC”/)]);
  });

  it("needs GITHUB_TOKEN, and repositories of their own", () => {
    const tokenless = problems({ PRIVATE_GITHUB_REPOSITORY: "acme/security" });
    expect(tokenless).toEqual(["GITHUB_TOKEN is required when PRIVATE_GITHUB_REPOSITORY is set"]);
    const shared = { GITHUB_TOKEN: "ghp_x", GITHUB_REPOSITORY: "acme/incidents", PRIVATE_GITHUB_REPOSITORY: "Acme/Incidents" };
    expect(problems(shared)).toEqual([
      "PRIVATE_GITHUB_REPOSITORY is also GITHUB_REPOSITORY: " +
        "private incidents need a private repository of their own, not the one every incident uses",
    ]);
    const reports = { GITHUB_TOKEN: "ghp_x", REPORTS_REPOSITORY: "acme/reports", PRIVATE_REPORTS_REPOSITORY: "acme/reports" };
    expect(problems(reports)).toHaveLength(1);
  });
});
