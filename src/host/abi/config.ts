// setConfig: writes a String value into the gadget's config the way IG's viper Set does: a dotted key is
// a nested path, keys are lower-cased. An existing key that differs only in case is reused (viper is
// case-insensitive), and a non-mapping on the path is replaced by a mapping.
import { Kind } from '../api';
import type { HostFunctionDef } from './define';
import { MAX_CONFIG_BYTES, MAX_CONFIG_KEY_BYTES, MAX_CONFIG_VALUE_BYTES } from '../engine/limits';
import { bpLength } from '../engine/memory';

export function setConfigValue(config: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.toLowerCase().split('.');
  let node = config;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const existing = Object.keys(node).find((k) => k.toLowerCase() === part);
    const name = existing ?? part;
    if (i === parts.length - 1) {
      node[name] = value;
      return;
    }
    const next = node[name];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) node[name] = {};
    node = node[name] as Record<string, unknown>;
  }
}

export const configFunctions: HostFunctionDef[] = [
  {
    // Same wasm signature in both revisions (the seed documents `val` as u64; it is a bufPtr for String).
    name: 'setConfig', params: { key: 'i64', value: 'i64', kind: 'i32' }, results: ['i32'], revision: 'both',
    make: (ctx) => (keyBp: bigint, valueBp: bigint, kind: number): number => {
      if (kind !== Kind.String) { ctx.log(1, `setConfig: kind ${kind >>> 0} not supported (only String, 12)`); return 1; }
      const keyLen = bpLength(keyBp), valueLen = bpLength(valueBp);
      if (!ctx.within('setConfig', 'a key of bytes', keyLen, MAX_CONFIG_KEY_BYTES)) return 1;
      if (!ctx.within('setConfig', 'a value of bytes', valueLen, MAX_CONFIG_VALUE_BYTES)) return 1;
      if (!ctx.within('setConfig', 'config written in total (bytes, whole run)', ctx.configBytes + keyLen + valueLen, MAX_CONFIG_BYTES)) return 1;
      const key = ctx.mem.readString(keyBp);
      if (key === null) { ctx.log(1, 'setConfig: invalid pointer for the key'); return 1; }
      if (key === '' || key.split('.').includes('')) { ctx.log(1, `setConfig: invalid key "${key}"`); return 1; }
      const value = ctx.mem.readString(valueBp);
      if (value === null) { ctx.log(1, `setConfig: invalid pointer for the value of "${key}"`); return 1; }
      setConfigValue(ctx.config, key, value);
      ctx.configBytes += keyLen + valueLen;
      return 0;
    },
  },
];
