// What people type for private incidents: `private` after the title (with or without a severity,
// in either order), and `/incident invite` with one or more people; mistakes say what to type.
import { parseIncidentCommand } from "../../src/slack/commandText.js";

describe("/incident declare … private", () => {
  it.each([
    ["declare Customer data exposed sev1 private", { title: "Customer data exposed", severity: "sev1", private: true }],
    ["declare Customer data exposed private sev1", { title: "Customer data exposed", severity: "sev1", private: true }],
    ["declare Customer data exposed PRIVATE", { title: "Customer data exposed", severity: "sev3", private: true }],
    ["declare Private key in a public gist sev2", { title: "Private key in a public gist", severity: "sev2", private: false }],
    // As before private incidents: the title is as typed unless words were taken off its end.
    ["declare Checkout   down sev2", { title: "Checkout down", severity: "sev2", private: false }],
    ["declare Checkout   down", { title: "Checkout   down", severity: "sev3", private: false }],
  ])("%s", (text, command) => {
    expect(parseIncidentCommand(text)).toEqual({ ok: true, command: { sub: "declare", ...command } });
  });

  it("still needs a title", () => {
    const untitled = parseIncidentCommand("declare private");
    expect(untitled).toMatchObject({ ok: false, message: expect.stringContaining("An incident needs a title.") });
    expect(parseIncidentCommand("declare sev1 private")).toMatchObject({ ok: false, message: expect.stringContaining("[private]") });
  });
});

describe("/incident invite", () => {
  it("takes mentions, ids and @names", () => {
    expect(parseIncidentCommand("invite <@U0BOB|bob> @carol U0DAVE99")).toEqual({
      ok: true,
      command: { sub: "invite", users: [{ id: "U0BOB" }, { name: "carol" }, { id: "U0DAVE99" }] },
    });
  });

  it("says what is not a person, and what to type", () => {
    expect(parseIncidentCommand("invite @bob the-sre-team")).toEqual({
      ok: false,
      message:
        "“the-sre-team” is not a user.\n" +
        "Type `/incident invite <@user…>` (bring people into this incident's channel), e.g. `/incident invite @dana @erin`",
    });
    expect(parseIncidentCommand("invite")).toMatchObject({ ok: false, message: expect.stringMatching(/^Whom should the bot invite\?/) });
  });
});
