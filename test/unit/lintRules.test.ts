// The rules CI enforces (`npm run lint`) must be able to fail: each is run here, through the
// tools' own Node APIs and the project's own configuration files, on a small source that breaks
// it and on one that keeps it. Type information is left out (it needs the whole program, and
// none of these rules uses it), which keeps this file to a few seconds.
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { cruise, type IConfiguration } from "dependency-cruiser";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";

const root = path.resolve(import.meta.dirname, "../..");

describe("ESLint (eslint.config.js)", () => {
  const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });
  const lint = async (file: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    return result!.messages.map((m) => ({ rule: m.ruleId, message: m.message }));
  };

  const LISTENER = "src/slack/listeners/commands/example.ts";

  test("a listener that posts through Bolt's per-request client fails", async () => {
    const code = `export const handler = async ({ client }: { client: { chat: { postMessage(o: object): Promise<void> } } }) => {
  await client.chat.postMessage({ channel: "C1", text: "hi" });
};
`;
    expect(await lint(LISTENER, code)).toContainEqual({ rule: "no-restricted-syntax", message: expect.stringContaining("ctx.client") });
  });

  test("a listener that reaches for args.client or args.say fails", async () => {
    const code = `export const handler = async (args: { say(text: string): Promise<void>; client: object }) => {
  await args.say("hi");
  return args.client;
};
`;
    const rules = (await lint(LISTENER, code)).map((m) => m.rule);
    expect(rules).toEqual(["no-restricted-syntax", "no-restricted-syntax"]);
  });

  test("a listener that posts through ctx.client passes", async () => {
    const code = `interface Ctx { client: { chat: { postMessage(o: object): Promise<void> } } }
export const handler = (ctx: Ctx) => async ({ ack }: { ack(): Promise<void> }) => {
  await ack();
  await ctx.client.chat.postMessage({ channel: "C1", text: "hi" });
};
`;
    expect(await lint(LISTENER, code)).toEqual([]);
  });

  test("the client rule is for listeners only: elsewhere in src/slack a client argument is fine", async () => {
    const code = `export const post = async ({ client }: { client: { chat: { postMessage(o: object): Promise<void> } } }) => {
  await client.chat.postMessage({ channel: "C1", text: "hi" });
};
`;
    expect(await lint("src/slack/example.ts", code)).toEqual([]);
  });

  test("a line over 160 characters fails, unless it is a URL", async () => {
    const long = `// ${"word ".repeat(40)}\nexport const x = 1;\n`;
    expect(await lint("src/incidents/example.ts", long)).toContainEqual({ rule: "max-len", message: expect.stringContaining("160") });
    const url = `// https://api.slack.com/${"a".repeat(170)}\nexport const x = 1;\n`;
    expect(await lint("src/incidents/example.ts", url)).toEqual([]);
  });

  test("an eslint-disable comment that disables nothing fails", async () => {
    const code = `// eslint-disable-next-line no-control-regex\nexport const x = /a/;\n`;
    const messages = await lint("src/incidents/example.ts", code);
    expect(messages).toEqual([{ rule: null, message: expect.stringContaining("Unused eslint-disable directive") }]);
  });

  test("a rule from the recommended sets fails (an unused variable)", async () => {
    expect(await lint("src/incidents/example.ts", "const unused = 1;\nexport {};\n")).toContainEqual(
      expect.objectContaining({ rule: "@typescript-eslint/no-unused-vars" }),
    );
  });
});

describe("dependency-cruiser (.dependency-cruiser.js)", () => {
  let config: IConfiguration;
  let dir: string;
  beforeAll(async () => {
    config = ((await import(path.join(root, ".dependency-cruiser.js"))) as { default: IConfiguration }).default;
  });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "layers-"));
    await writeFile(
      path.join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true }, include: ["src"] }),
    );
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Cruises a tree of { "src/x.ts": source } with the project's rules; returns "rule: from -> to". */
  async function violations(files: Record<string, string>): Promise<string[]> {
    for (const [file, source] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), source);
    }
    const { output } = await cruise(
      ["src"],
      {
        ...config.options,
        baseDir: dir,
        tsConfig: { fileName: path.join(dir, "tsconfig.json") },
        validate: true,
        ruleSet: { forbidden: config.forbidden },
      },
      undefined,
      { tsConfig: { options: { module: "NodeNext", moduleResolution: "NodeNext" } } },
    );
    if (typeof output === "string") throw new Error(output);
    return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
  }

  test("the domain importing an adapter fails", async () => {
    expect(
      await violations({
        "src/incidents/resolve.ts": `import { save } from "../store/incidents.js";\nexport const resolve = () => save();\n`,
        "src/store/incidents.ts": `export const save = () => 1;\n`,
      }),
    ).toEqual(["domain-imports-no-adapter: src/incidents/resolve.ts -> src/store/incidents.ts"]);
  });

  test("the domain importing Slack's library fails, even for a type", async () => {
    // The project's node_modules, so the import resolves as it would in src/.
    await symlink(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
    expect(
      await violations({
        "src/incidents/render.ts": `import type { KnownBlock } from "@slack/types";\nexport const blocks: KnownBlock[] = [];\n`,
      }),
    ).toEqual([expect.stringMatching(/^domain-uses-no-outside-system: src\/incidents\/render.ts -> .*node_modules\/@slack\/types\//)]);
  });

  test("one adapter importing another fails, even for a type", async () => {
    expect(
      await violations({
        "src/github/issues.ts": `import type { Row } from "../store/rows.js";\nexport const row: Row | null = null;\n`,
        "src/store/rows.ts": `export interface Row { id: string }\n`,
      }),
    ).toEqual(["adapters-do-not-import-each-other: src/github/issues.ts -> src/store/rows.ts"]);
  });

  test("an adapter importing the composition root fails", async () => {
    expect(
      await violations({
        "src/slack/app.ts": `import { start } from "../main.js";\nexport const app = start;\n`,
        "src/main.ts": `export const start = () => 1;\n`,
      }),
    ).toEqual(["only-the-root-wires: src/slack/app.ts -> src/main.ts"]);
  });

  test("a runtime import cycle fails; one through a type-only import does not", async () => {
    const cycle = await violations({
      "src/incidents/a.ts": `import { b } from "./b.js";\nexport const a = () => b;\n`,
      "src/incidents/b.ts": `import { a } from "./a.js";\nexport const b = () => a;\n`,
      "src/incidents/c.ts": `import type { D } from "./d.js";\nexport interface C { d?: D }\n`,
      "src/incidents/d.ts": `import type { C } from "./c.js";\nexport interface D { c?: C }\n`,
    });
    expect(cycle).toEqual(["no-circular: src/incidents/a.ts -> src/incidents/b.ts"]);
  });

  test("the layers as meant pass: adapters on the domain, the root on everything", async () => {
    expect(
      await violations({
        "src/incidents/ports.ts": `export interface Store { save(): number }\n`,
        "src/store/prismaStore.ts": `import type { Store } from "../incidents/ports.js";\nexport const store: Store = { save: () => 1 };\n`,
        "src/slack/app.ts":
          `import type { Store } from "../incidents/ports.js";\nimport { parseJson } from "../parseJson.js";\n` +
          `export const app = (s: Store) => parseJson(String(s.save()));\n`,
        "src/parseJson.ts": `export const parseJson = (text: string): unknown => JSON.parse(text);\n`,
        "src/main.ts": `import { store } from "./store/prismaStore.js";\nimport { app } from "./slack/app.js";\nexport const main = () => app(store);\n`,
      }),
    ).toEqual([]);
  });
});
