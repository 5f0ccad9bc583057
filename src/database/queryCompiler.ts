// Prisma's query compiler is WebAssembly that the generated client imports as base64 text from an
// ES module. A module is never unloaded, so that text (2.2 MiB) stayed in the heap for the life of
// the process twice over, as the module's source and as its export: 4.5 MiB of the idle bot's
// memory, for a module compiled once, at the first query (issue 22). Here the same file is read as
// text, decoded and compiled, and nothing keeps the text afterwards.
//
// PrismaClient takes the loader through `__internal.configOverride`, which Prisma's runtime types
// as a hook for tooling; the generated client's options type leaves it out, so it is added to
// options typed without it (withQueryCompilerLoader). The file's name follows the generator's
// settings in schema.prisma (compilerBuild "small", provider postgresql): change them together.
// The database tests check that this loader compiled the module the first query used
// (queryCompilerLoads), so a Prisma upgrade that stops calling it is noticed.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { GetPrismaClientConfig } from "@prisma/client/runtime/client";

const COMPILER_FILE = "query_compiler_small_bg.postgresql.wasm-base64.mjs";
/** `const wasm = "<base64>";`: the one string literal the module holds. */
const BASE64_LITERAL = /"([A-Za-z0-9+/]+=*)"/;
/** The global the runtime has (the project's TypeScript libraries leave WebAssembly's types out). */
const { WebAssembly } = globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } };

let loads = 0;

/** How many times this process compiled Prisma's query compiler through this loader. */
export const queryCompilerLoads = () => loads;

async function loadQueryCompiler(): Promise<object> {
  const runtimeDir = path.dirname(createRequire(import.meta.url).resolve("@prisma/client/runtime/client"));
  const source = await readFile(path.join(runtimeDir, COMPILER_FILE), "utf8");
  const base64 = BASE64_LITERAL.exec(source)?.[1];
  if (!base64) throw new Error(`Prisma's query compiler was not found in ${COMPILER_FILE}: see src/database/queryCompiler.ts`);
  const compiled = new WebAssembly.Module(Buffer.from(base64, "base64"));
  loads++;
  return compiled;
}

const configOverride = (config: GetPrismaClientConfig): GetPrismaClientConfig =>
  config.compilerWasm ? { ...config, compilerWasm: { ...config.compilerWasm, getQueryCompilerWasmModule: loadQueryCompiler } } : config;

/** PrismaClient's options, with the query compiler loaded here. */
export function withQueryCompilerLoader<Options extends object>(options: Options): Options {
  return { ...options, __internal: { configOverride } };
}
