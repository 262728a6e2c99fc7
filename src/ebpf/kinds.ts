// IG's field kinds as the eBPF layer produces them: the scalar kinds of `api.Kind` (same numbers as the
// host's Kind) plus IG's array kinds, `KindFlagArray | elementKind` (pkg/gadget-service/api/consts.go).
import { Kind } from '../host/api';

export const KIND_FLAG_ARRAY = 0x10000000;

export function arrayOf(kind: number): number {
  return kind | KIND_FLAG_ARRAY;
}

export function isArrayKind(kind: number): boolean {
  return (kind & KIND_FLAG_ARRAY) !== 0;
}

/** Lower-case name: IG's kind name (`uint32`, `cstring`), arrays `arrayof<element>` (`arrayofuint8`). */
export function ebpfKindName(kind: number): string {
  if (isArrayKind(kind)) return `arrayof${ebpfKindName(kind & ~KIND_FLAG_ARRAY)}`;
  const name = (Kind as unknown as Record<number, string | undefined>)[kind];
  return name ? name.toLowerCase() : 'invalid';
}

export { Kind };
