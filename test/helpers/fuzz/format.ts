/** Writes an argv as one redis-cli / case-file line (quotes and \xHH escapes where needed). */
export function formatArg(arg: string, maxLength = Infinity): string {
  if (arg.length > maxLength) return `<${arg.length} bytes: ${formatArg(arg.slice(0, 24))}…>`;
  if (arg !== '' && /^[\x21-\x7e]+$/.test(arg) && !/["'\\]/.test(arg)) return arg;
  let out = '"';
  for (let i = 0; i < arg.length; i++) {
    const c = arg.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += '\\\\';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 32 || c > 126) out += '\\x' + c.toString(16).padStart(2, '0');
    else out += arg[i];
  }
  return out + '"';
}

export function formatCommand(argv: readonly string[], maxArgLength = Infinity): string {
  return argv.map((a) => formatArg(a, maxArgLength)).join(' ');
}

export function showReply(b: Buffer, max = 400): string {
  const s = b.toString('latin1');
  return JSON.stringify(s.length > max ? s.slice(0, max) + '…' : s);
}
