// IG's formatters, run host-side as subscriptions of a host-declared data source: the ebpf operator's enum
// formatter (pkg/operators/ebpf/formatters.go) and the formatters operator's replacers
// (pkg/operators/formatters): each reads its source field(s) of a packet and writes a String field. They
// are subscribed after gadgetInit (as IG's operators subscribe in PreStart), so a guest subscribing in
// gadgetInit at the same priority sees the raw values and empty outputs, as in IG.
// Differences, on purpose: timestamps are printed as given (IG first adds the boot time of the machine
// that recorded them; a replay has no such machine) and in UTC; syscall names are x86_64's.
import type { FormatterSpec } from '../api';
import { KIND_SIZE, encodeUtf8, readScalarValue } from './kinds';
import { DataSource, Field, Rec } from './model';
import { ERRNO_NAMES, SYSCALL_NAMES } from './names';

/** The subscription priority IG uses: 1 for L4 endpoints, 0 for the others. */
export function formatterPriority(spec: FormatterSpec): number {
  return spec.type === 'l4endpoint' ? 1 : 0;
}

/** Builds the per-record function of one formatter; throws an Error naming a missing field. */
export function makeFormatter(ds: DataSource, spec: FormatterSpec): (rec: Rec) => void {
  const field = (name: string): Field => {
    const f = ds.byName.get(name);
    if (!f) throw new Error(`formatter ${spec.type} of data source "${ds.name}": no field "${name}"`);
    return f;
  };
  const num = (rec: Rec, f: Field): bigint => {
    if (f.index >= rec.nfields || f.offset < 0) return 0n;
    const v = readScalarValue(rec.dv, f.offset, f.kind);
    if (typeof v === 'bigint') return v;
    if (typeof v === 'boolean') return v ? 1n : 0n;
    return typeof v === 'number' && Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
  };
  const put = (rec: Rec, f: Field, s: string): void => {
    if (f.index < rec.nfields && f.dynIndex >= 0) rec.dyn[f.dynIndex] = encodeUtf8(s);
  };
  switch (spec.type) {
    case 'enum': {
      const src = field(spec.source), out = field(spec.target);
      const values = spec.values.map((v) => ({ name: v.name, value: BigInt.asUintN(64, BigInt(v.value)) }));
      const bits = BigInt(spec.size * 8);
      // byteSliceAsUint64: sign-extended for signed enums, then compared as uint64
      const read = (rec: Rec): bigint => {
        let v = BigInt.asUintN(Number(bits), num(rec, src));
        if (spec.signed) v = BigInt.asUintN(64, BigInt.asIntN(Number(bits), v));
        return v;
      };
      if (spec.separator !== undefined) {
        const sep = spec.separator;
        return (rec) => { const v = read(rec); put(rec, out, values.filter((m) => (v & m.value) === m.value).map((m) => m.name).join(sep)); };
      }
      return (rec) => { const v = read(rec); put(rec, out, values.find((m) => m.value === v)?.name ?? 'UNKNOWN'); };
    }
    case 'signal': case 'errno': case 'syscall': case 'timestamp': case 'bytes': case 'duration': case 'file_mode': case 'file_flags': {
      const src = field(spec.source), out = field(spec.target);
      const text = SCALAR[spec.type];
      const size = KIND_SIZE[src.kind] ?? 0;
      return (rec) => { const s = text(num(rec, src), src.kind, size); if (s !== undefined) put(rec, out, s); };
    }
    case 'l3endpoint': {
      const addr = l3(ds, spec.ip, field(spec.version), num);
      const out = field(spec.target);
      return (rec) => put(rec, out, addr(rec));
    }
    case 'l4endpoint': {
      const addr = l3(ds, spec.ip, field(spec.version), num);
      const out = field(spec.target), endpoint = field(spec.endpoint), port = field(spec.port);
      const proto = spec.proto !== undefined ? field(spec.proto) : undefined;
      const protoOut = spec.protoTarget !== undefined ? field(spec.protoTarget) : undefined;
      return (rec) => {
        const a = addr(rec);
        put(rec, out, a);
        put(rec, endpoint, `${a}:${num(rec, port)}`);
        if (proto && protoOut) { const n = Number(num(rec, proto)); put(rec, protoOut, PROTOCOLS[n] ?? `proto#${n}`); }
      };
    }
  }
}

type Text = (v: bigint, kind: number, size: number) => string | undefined;

// Kind numbers (api.Kind): Uint32 8, Uint64 9, Int32 4.
const SCALAR: Record<'signal' | 'errno' | 'syscall' | 'timestamp' | 'bytes' | 'duration' | 'file_mode' | 'file_flags', Text> = {
  signal: (v, _k, size) => (size === 4 ? SIGNALS[Number(v)] ?? `signal#${BigInt.asUintN(32, v)}` : undefined),
  errno: (v, kind) => {
    if (kind !== 8) return undefined;
    const n = Number(v);
    return n === 0 ? '' : ERRNO_NAMES[n] || `error#${n}`;
  },
  syscall: (v) => `SYS_${(SYSCALL_NAMES[Number(v)] || 'unknown').toUpperCase()}`,
  timestamp: (v, _k, size) => (size === 8 ? timestamp(BigInt.asUintN(64, v)) : undefined),
  bytes: (v, kind) => (kind === 9 ? humanBytes(BigInt.asUintN(64, v)) : undefined),
  duration: (v, kind) => (kind === 9 ? duration(BigInt.asIntN(64, v)) : undefined),
  file_mode: (v) => fileMode(Number(BigInt.asUintN(32, v))),
  file_flags: (v) => fileFlags(Number(BigInt.asIntN(32, v))).join('|'),
};

/** Reads an IP address (gadget_ip_addr_t: a union of `v4` and `v6`) for the version field's value. */
function l3(ds: DataSource, ip: string, version: Field, num: (rec: Rec, f: Field) => bigint): (rec: Rec) => string {
  const v4 = ds.byName.get(`${ip}.v4`), v6 = ds.byName.get(`${ip}.v6`), whole = ds.byName.get(ip);
  const bytes = (rec: Rec, f: Field | undefined): Uint8Array => (f && f.index < rec.nfields ? rec.bytesOf(f) : new Uint8Array(0));
  return (rec) => {
    const ver = Number(num(rec, version));
    if (ver === 4) {
      const b = v4 ? bytes(rec, v4) : bytes(rec, whole).subarray(0, 4);
      return b.length >= 4 ? `${b[0]}.${b[1]}.${b[2]}.${b[3]}` : '';
    }
    if (ver === 6) {
      const b = v6 ? bytes(rec, v6) : bytes(rec, whole);
      return b.length >= 16 ? ipv6(b) : '';
    }
    return '';
  };
}

/** RFC 5952 text of an IPv6 address (the longest run of two or more zero groups becomes `::`). */
export function ipv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i] << 8) | b[i + 1]);
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return `::ffff:${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
  let best = -1, bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

const SIGNALS: Record<number, string> = Object.fromEntries([
  'SIGHUP', 'SIGINT', 'SIGQUIT', 'SIGILL', 'SIGTRAP', 'SIGABRT', 'SIGBUS', 'SIGFPE', 'SIGKILL', 'SIGUSR1', 'SIGSEGV',
  'SIGUSR2', 'SIGPIPE', 'SIGALRM', 'SIGTERM', 'SIGSTKFLT', 'SIGCHLD', 'SIGCONT', 'SIGSTOP', 'SIGTSTP', 'SIGTTIN',
  'SIGTTOU', 'SIGURG', 'SIGXCPU', 'SIGXFSZ', 'SIGVTALRM', 'SIGPROF', 'SIGWINCH', 'SIGIO', 'SIGPWR', 'SIGSYS',
].map((n, i) => [i + 1, n]));

/** IANA protocol numbers of the L4 endpoints gadgets report. */
const PROTOCOLS: Record<number, string> = { 1: 'ICMP', 2: 'IGMP', 6: 'TCP', 17: 'UDP', 33: 'DCCP', 58: 'ICMPv6', 132: 'SCTP', 136: 'UDPLite', 255: 'RAW' };

/** Go's `2006-01-02T15:04:05.000000000Z07:00` of nanoseconds since the epoch, in UTC. */
function timestamp(ns: bigint): string {
  const ms = Number(ns / 1_000_000n);
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.toISOString().slice(0, 19)}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}Z`;
}

/** go-humanize's Bytes: SI units, one decimal below 10. */
export function humanBytes(n: bigint): string {
  if (n < 10n) return `${n} B`;
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
  const x = Number(n);
  const e = Math.floor(Math.log(x) / Math.log(1000));
  const val = Math.floor((x / 1000 ** e) * 10 + 0.5) / 10;
  return `${val < 10 ? val.toFixed(1) : val.toFixed(0)} ${units[e]}`;
}

/** IG's formatDuration: ns, µs and ms with two decimals, Go's Duration.String() from a second up. */
export function duration(ns: bigint): string {
  if (ns < 1000n) return `${ns}ns`;
  if (ns < 1_000_000n) return `${(Number(ns) / 1e3).toFixed(2)}µs`;
  if (ns < 1_000_000_000n) return `${(Number(ns) / 1e6).toFixed(2)}ms`;
  const h = ns / 3_600_000_000_000n, m = (ns / 60_000_000_000n) % 60n, s = ns % 60_000_000_000n;
  const sec = `${s / 1_000_000_000n}${s % 1_000_000_000n ? `.${(s % 1_000_000_000n).toString().padStart(9, '0').replace(/0+$/, '')}` : ''}s`;
  return h > 0n ? `${h}h${m}m${sec}` : m > 0n ? `${m}m${sec}` : sec;
}

/** Go's fs.FileMode(mode).String() on a raw mode: Go's type bits (31..19) as letters, then rwx. */
export function fileMode(mode: number): string {
  const TYPES = 'dalTLDpSugct?';
  let out = '';
  for (let i = 0; i < TYPES.length; i++) if ((mode >>> (31 - i)) & 1) out += TYPES[i];
  if (!out) out = '-';
  const RWX = 'rwxrwxrwx';
  for (let i = 0; i < 9; i++) out += (mode >>> (8 - i)) & 1 ? RWX[i] : '-';
  return out;
}

const OPEN_FLAGS: [number, string][] = [
  [0o100, 'O_CREAT'], [0o200, 'O_EXCL'], [0o400, 'O_NOCTTY'], [0o1000, 'O_TRUNC'], [0o2000, 'O_APPEND'], [0o4000, 'O_NONBLOCK'],
  [0o10000, 'O_DSYNC'], [0o20000, 'O_FASYNC'], [0o40000, 'O_DIRECT'], [0o100000, 'O_LARGEFILE'], [0o200000, 'O_DIRECTORY'],
  [0o400000, 'O_NOFOLLOW'], [0o1000000, 'O_NOATIME'], [0o2000000, 'O_CLOEXEC'],
];

/** open(2) flags: the access mode, then each set flag in IG's order. */
export function fileFlags(flags: number): string[] {
  const out: string[] = [];
  const acc = ['O_RDONLY', 'O_WRONLY', 'O_RDWR'][flags & 3];
  if (acc) out.push(acc);
  for (const [bit, name] of OPEN_FLAGS) if ((flags & bit) === bit) out.push(name);
  return out;
}
