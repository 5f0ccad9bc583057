// Imported for its effect, before anything compiles WebAssembly: Prisma's query compiler (every
// query), PGlite (PostgreSQL itself) and the schema engine (migrations) are all WebAssembly.
//
// V8 compiles WebAssembly twice by default: quickly (Liftoff), then again, optimised (TurboFan),
// for the functions it finds hot. For these modules the second compilation is what costs the
// memory: measured on Node 20 with the built bot, idle RSS 242 -> 168 MiB on PostgreSQL and
// 302 -> 216 MiB on an existing PGlite directory with Liftoff alone. It did not cost speed: on a
// 2-core machine, PGlite inserts and Prisma queries ran as fast or faster (no background
// recompilation competing for a core), and `npm run bench` shows the ingest figures.
// The flag is not one NODE_OPTIONS accepts, hence here; it changes how code is compiled, not
// what it does.
import v8 from "node:v8";

v8.setFlagsFromString("--liftoff-only");
