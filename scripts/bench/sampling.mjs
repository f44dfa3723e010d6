// Peak RSS and CPU time of a running process, read from /proc (Linux).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond;

/** The kernel's clock ticks per second (utime/stime unit), usually 100. */
export function clockTicks() {
  if (ticksPerSecond === undefined) {
    const result = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const value = Number(result.stdout?.trim());
    ticksPerSecond = Number.isFinite(value) && value > 0 ? value : 100;
  }
  return ticksPerSecond;
}

/** VmHWM (peak resident set size so far) and VmRSS of `pid`, in MB; undefined once it is gone. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name) => {
      const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
      return match ? Number(match[1]) / 1024 : undefined;
    };
    return { peakMb: field('VmHWM'), rssMb: field('VmRSS') };
  } catch {
    return undefined;
  }
}

/** User + system CPU time of `pid` in seconds (fields 14 and 15 of /proc/PID/stat); undefined once it is gone. */
export function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks();
  } catch {
    return undefined;
  }
}

/**
 * Polls VmHWM of `pid` every `intervalMs` until stop(): the fallback for peak RSS when
 * /usr/bin/time is missing. VmHWM only grows, so the last reading is the peak up to that
 * moment; a process that grows in its last few milliseconds is under-reported.
 */
export function samplePeakRss(pid, intervalMs = 5) {
  let peakMb;
  const read = () => {
    const memory = memoryOf(pid);
    if (memory?.peakMb !== undefined) peakMb = Math.max(peakMb ?? 0, memory.peakMb);
  };
  read();
  const timer = setInterval(read, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peakMb;
    },
  };
}
