import winston from 'winston';

/** Redis's log levels, most severe first, as winston levels. */
export const LOG_LEVELS = { warning: 0, notice: 1, verbose: 2, debug: 3 } as const;
export type LogLevel = keyof typeof LOG_LEVELS;

export type Logger = winston.Logger;

const MARKS: Record<string, string> = { warning: '#', notice: '*', verbose: '-', debug: '.' };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function redisTimestamp(d: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Lines like Redis's: `pid:M 22 Nov 2026 10:00:00.000 * message` (plugin loggers add `[name]`). */
const redisLine = winston.format.printf((info) => {
  const plugin = info.plugin ? `[${String(info.plugin)}] ` : '';
  const role = typeof info.role === 'string' ? info.role : 'M';
  return `${process.pid}:${role} ${redisTimestamp(new Date())} ${MARKS[info.level] ?? '*'} ${plugin}${String(info.message)}`;
});

export interface LoggerOptions {
  level: LogLevel;
  /** File to append to; empty for standard output. */
  file?: string;
  /** No output at all (tests). */
  silent?: boolean;
}

export function createLogger(options: LoggerOptions): Logger {
  const transport = options.file
    ? new winston.transports.File({ filename: options.file })
    : new winston.transports.Console();
  return winston.createLogger({
    levels: LOG_LEVELS,
    level: options.level,
    silent: options.silent ?? false,
    format: redisLine,
    transports: [transport],
  });
}
