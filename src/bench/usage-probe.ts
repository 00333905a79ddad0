/**
 * Loaded into a benchmarked CLI with `node --import`: at exit it writes the process's own CPU time
 * and peak RSS (getrusage) to the file EKSPOSURE_USAGE_FILE names. Node cannot read a child's
 * rusage, and /usr/bin/time is not on every machine.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.EKSPOSURE_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage();
    writeFileSync(
      file,
      JSON.stringify({
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        maxRssKb: usage.maxRSS,
      }),
    );
  });
}
