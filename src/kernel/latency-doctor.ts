import type { LatencyMonitor, LatencySeries } from './latency-monitor';

/** What LATENCY DOCTOR needs beyond the events. */
export interface DoctorSettings {
  slowlogThresholdUs: number;
  appendfsync: string;
}

interface EventStats {
  samples: number;
  avg: number;
  mad: number;
  period: number;
}

/** analyzeLatencyForEvent: average, mean absolute deviation, seconds since the oldest sample. */
function analyze(series: LatencySeries, now: number): EventStats {
  const samples = series.samples();
  if (samples.length === 0) return { samples: 0, avg: 0, mad: 0, period: 0 };
  let sum = 0;
  let oldest = samples[0][0];
  for (const [time, ms] of samples) {
    sum += ms;
    if (time < oldest) oldest = time;
  }
  const avg = Math.floor(sum / samples.length);
  let deviation = 0;
  for (const [, ms] of samples) deviation += Math.abs(avg - ms);
  return { samples: samples.length, avg, mad: Math.floor(deviation / samples.length), period: Math.max(1, now - oldest) };
}

/**
 * LATENCY DOCTOR's report, laid out as Redis's createLatencyReport (its fixed sentences kept, since
 * tools match them); the advice is Redix's own and names Node-specific causes where they apply.
 */
export function latencyReport(monitor: LatencyMonitor, settings: DoctorSettings): string {
  if (monitor.events.size === 0 && monitor.threshold === 0) {
    return "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use \"CONFIG SET latency-monitor-threshold <milliseconds>.\" in order to enable it. If we weren't in a deep space mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n";
  }
  const now = Math.floor(Date.now() / 1000);
  const advice = new Set<string>();
  let report = '';
  let n = 0;
  for (const [event, series] of monitor.events) {
    n++;
    if (n === 1) report += "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
    const s = analyze(series, now);
    report += `${n}. ${event}: ${s.samples} latency spikes (average ${s.avg}ms, mean deviation ${s.mad}ms, period ${(s.period / s.samples).toFixed(2)} sec). Worst all time event ${series.max}ms.\n`;
    if (event === 'command') {
      if (settings.slowlogThresholdUs < 0) advice.add(`- Slow commands were seen. Enable the slow log to find them: 'CONFIG SET slowlog-log-slower-than ${monitor.threshold * 1000}'.`);
      else if (settings.slowlogThresholdUs / 1000 > monitor.threshold) advice.add(`- The slow log only records commands slower than the latency threshold; use 'CONFIG SET slowlog-log-slower-than ${monitor.threshold * 1000}'.`);
      advice.add('- Check SLOWLOG GET for the commands that ran too long: O(N) commands over big keys (KEYS, SMEMBERS, LRANGE 0 -1, big DEL) hold the event loop for the whole call.');
    }
    if (event === 'fast-command' || event === 'event-loop') {
      advice.add('- O(1) work or the event loop itself was delayed: the Node process did not get the CPU (an overloaded host, CPU limits) or a long garbage collection ran; check the machine and INFO memory.');
    }
    if (event === 'expire-cycle') advice.add("- Expiring large keys is blocking work; split very large objects, or raise 'hz' so each expiry cycle does less.");
    if (event.startsWith('aof-')) {
      advice.add('- Writing the AOF was slow: prefer local disks, and avoid other disk-heavy processes on the same machine.');
      if (settings.appendfsync === 'always') advice.add("- appendfsync is 'always': every write waits for fsync; 'everysec' is far cheaper.");
    }
  }
  if (n === 0) {
    return 'Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n';
  }
  if (advice.size === 0) {
    return report + "\nWhile there are latency events logged, I'm not able to suggest any easy fix. Please use the Redis community to get some help, providing this report in your help request.\n";
  }
  return report + '\nI have a few advices for you:\n\n' + [...advice].join('\n') + '\n';
}
