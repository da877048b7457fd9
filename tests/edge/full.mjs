// The full-size storm (`make test-edge-full`, not part of `make test`): 100
// accounts × 200 threads (one on Instagram), 20,000 events, every object
// evicted in the middle of each phase; prints its figures.
// `node tests/edge/full.mjs [accounts] [threads] [events]` runs another size.
import { runStorm } from "./storm.mjs";

const [accounts = 100, threads = 200, events = 20_000] = process.argv.slice(2).map(Number);
const figures = await runStorm({ accounts, threads, events, pageSize: 10, slice: 8, perPost: { maxEntries: 2, maxItemsPerEntry: 5 }, log: (line) => console.log(line) });
console.log(JSON.stringify(figures, null, 2));
const ok = !figures.mismatches.length && figures.rateLimited === 0 && figures.non200 === 0 && figures.socketErrors === 0 && figures.maxPostMs < 1000 && figures.evictions === 2 * (accounts - 1);
console.log(ok ? "edge full: passed" : "edge full: FAILED");
process.exitCode = ok ? 0 : 1;
