// manifest.json is the source of truth for the scopes the bot asks for; start-up and doctor name
// what stops working without each one. A scope added there must say what it is for.
import { readManifest, SCOPE_USES } from "../../src/preflight/manifest.js";

describe("the manifest's scopes", () => {
  it("each has a use that start-up and doctor name when it is missing", () => {
    const { botScopes } = readManifest();
    expect(botScopes.length).toBeGreaterThan(0);
    expect(botScopes.filter((scope) => !SCOPE_USES[scope])).toEqual([]);
  });

  it("names no use for a scope the manifest does not ask for", () => {
    expect(Object.keys(SCOPE_USES).filter((scope) => !readManifest().botScopes.includes(scope))).toEqual([]);
  });
});
