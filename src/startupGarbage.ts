// Start-up leaves garbage behind: Prisma's query compiler decoded from base64, the answers of
// start-up's checks, the migration check, the first sweep. Left alone, V8 collects it only once
// the bot allocates enough to need the room, which an idle bot does not: it stayed resident,
// about 10 MiB of the idle figure, until V8 got round to it 15 s or so later (README, Memory).
// So the bot collects it once, when start-up's work is done. gc() is there only when Node runs
// with --expose-gc (the start script and the image do); without it this does nothing.
export function collectStartupGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
