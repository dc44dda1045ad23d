/** sdscatrepr: double quotes, \\ \" \n \r \t \a \b escaped, other non-printable bytes as \xHH. */
export function quoteArgument(arg: Buffer | string): string {
  const b = typeof arg === 'string' ? Buffer.from(arg, 'latin1') : arg;
  let out = '"';
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    switch (c) {
      case 0x5c: out += '\\\\'; break;
      case 0x22: out += '\\"'; break;
      case 0x0a: out += '\\n'; break;
      case 0x0d: out += '\\r'; break;
      case 0x09: out += '\\t'; break;
      case 0x07: out += '\\a'; break;
      case 0x08: out += '\\b'; break;
      default:
        out += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : '\\x' + c.toString(16).padStart(2, '0');
    }
  }
  return out + '"';
}
