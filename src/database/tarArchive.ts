// Reads the tar archives PGlite's dumpDataDir writes (ustar: directories and regular files only),
// so a template can be unpacked onto disk with plain file writes. Unpacking it through PGlite
// (its loadDataDir option) runs the archive through PostgreSQL's WebAssembly memory: 260 MiB at
// the peak against about 130 MiB to open the directory afterwards.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export interface TarEntry {
  /** Relative to the archive's root, "/"-separated, never "..". */
  name: string;
  type: "file" | "directory";
  mode: number;
  data: Buffer;
}

const BLOCK = 512;

function field(header: Buffer, offset: number, length: number): string {
  const raw = header.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end === -1 ? length : end).toString("utf8");
}

const octal = (header: Buffer, offset: number, length: number) => parseInt(field(header, offset, length).trim() || "0", 8);

/** Every entry, or an error naming what this reader does not handle (nothing is written then). */
export function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  for (let offset = 0; offset + BLOCK <= archive.length;) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break; // the end-of-archive blocks
    let checksum = 0;
    for (let i = 0; i < BLOCK; i++) checksum += i >= 148 && i < 156 ? 0x20 : header[i]!;
    if (checksum !== octal(header, 148, 8)) throw new Error(`tar: bad header checksum at byte ${offset}`);
    const prefix = field(header, 345, 155);
    const name = path.posix.normalize([prefix, field(header, 0, 100)].filter(Boolean).join("/")).replace(/^\/+|\/+$/g, "");
    if (name === "" || name === "." || name.split("/").includes("..")) throw new Error(`tar: unsafe entry name “${name}”`);
    const size = octal(header, 124, 12);
    const flag = String.fromCharCode(header[156]!);
    const dataStart = offset + BLOCK;
    if (flag === "0" || flag === "\0")
      entries.push({ name, type: "file", mode: octal(header, 100, 8) & 0o777, data: archive.subarray(dataStart, dataStart + size) });
    else if (flag === "5") entries.push({ name, type: "directory", mode: octal(header, 100, 8) & 0o777, data: Buffer.alloc(0) });
    else throw new Error(`tar: entry “${name}” has type “${flag}”, which this reader does not handle`);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
  }
  return entries;
}

/** Writes the entries under `dir` (which must hold none of them yet). */
export async function writeTarEntries(entries: TarEntry[], dir: string): Promise<void> {
  for (const entry of entries) {
    const target = path.join(dir, ...entry.name.split("/"));
    if (entry.type === "directory") await mkdir(target, { recursive: true, mode: entry.mode || 0o700 });
    else {
      await mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      await writeFile(target, entry.data, { mode: entry.mode || 0o600, flag: "wx" });
    }
  }
}
