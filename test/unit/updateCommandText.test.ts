// Reading `/incident update [public] <text>` and `/incident public-title <text>`.
import { parseIncidentCommand } from "../../src/slack/commandText.js";

describe("parsing stakeholder update commands", () => {
  it("reads an internal update, keeping the text as typed", () => {
    expect(parseIncidentCommand("update Checkout is failing for 20% of EU customers.\nNext update at 18:00.")).toEqual({
      ok: true,
      command: { sub: "update", audience: "internal", text: "Checkout is failing for 20% of EU customers.\nNext update at 18:00." },
    });
    // "public" only counts as the first word.
    expect(parseIncidentCommand("UPDATE the public site is slow")).toEqual({
      ok: true,
      command: { sub: "update", audience: "internal", text: "the public site is slow" },
    });
  });

  it("reads a public update", () => {
    expect(parseIncidentCommand("update public Payments are recovering.")).toEqual({
      ok: true,
      command: { sub: "update", audience: "public", text: "Payments are recovering." },
    });
    expect(parseIncidentCommand("update Public  Line one\nline two")).toEqual({
      ok: true,
      command: { sub: "update", audience: "public", text: "Line one\nline two" },
    });
  });

  it("answers an empty update with what to type", () => {
    const empty = parseIncidentCommand("update   ");
    expect(empty.ok).toBe(false);
    if (!empty.ok)
      expect(empty.message).toBe(
        "What should the update say?\n" +
          "Type `/incident update <text>` (an update for stakeholders), `/incident update public <text>` (for customers: you see it before it is published)",
      );
    const publicEmpty = parseIncidentCommand("update public");
    expect(publicEmpty.ok).toBe(false);
    if (!publicEmpty.ok)
      expect(publicEmpty.message).toMatch(
        /^What should customers read\? Give the update's text after `public`\.\nType `\/incident update <text>`/,
      );
    // A word that merely starts with "public" is an internal update's text.
    expect(parseIncidentCommand("update publicly visible errors")).toMatchObject({
      ok: true,
      command: { audience: "internal", text: "publicly visible errors" },
    });
  });

  it("reads a public title and refuses an empty one", () => {
    expect(parseIncidentCommand("public-title Slow logins for some users")).toEqual({
      ok: true,
      command: { sub: "public-title", text: "Slow logins for some users" },
    });
    const empty = parseIncidentCommand("public-title");
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.message).toContain("The public title can't be empty.\nType `/incident public-title <text>`");
  });
});
