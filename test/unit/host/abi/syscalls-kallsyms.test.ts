import * as assert from 'node:assert/strict';
import { DECLARATION_SIZE, builtInDeclarations, syscallID, syscallName } from '../../../../src/host/abi/syscalls';
import type { KernelOptions } from '../../../../src/host/api';
import { ProxyGuest } from '../guest';
import { kernelProxy } from './kernel-support';

/** Decodes IG's 252-byte syscallDeclaration. */
function decode(b: Uint8Array): { name: string; params: { name: string; pointer: boolean }[] } {
  const cstr = (at: number): string => new TextDecoder().decode(b.subarray(at, at + 32)).replace(/\0.*$/s, '');
  const dv = new DataView(b.buffer, b.byteOffset);
  return {
    name: cstr(0),
    params: Array.from({ length: b[32] }, (_, i) => ({ name: cstr(36 + i * 36), pointer: (dv.getUint32(36 + i * 36 + 32, true) & 1) === 1 })),
  };
}

async function proxy(kernel: KernelOptions = {}, sigs: Record<string, string> = {}): Promise<ProxyGuest> {
  return kernelProxy({ kernel }, sigs);
}

describe('host: syscalls', () => {
  it('getSyscallName / getSyscallID for arm64 as well as x86_64 (IG\'s syscall test ids)', async () => {
    for (const arch of ['x86_64', 'arm64'] as const) {
      const p = await proxy({ arch });
      const name = (id: number) => { const dst = p.buf(64); return [p.x.getSyscallName(id, dst), p.text(dst).replace(/\0+$/, '')]; };
      assert.deepEqual(name(1337), [0, 'syscall_539'], arch);
      assert.deepEqual(name(428), [0, 'open_tree'], `${arch}: open_tree has the same id on both`);
      assert.equal(p.x.getSyscallID(p.str('execve')), arch === 'arm64' ? 221 : 59);
      assert.equal(p.x.getSyscallID(p.str('open')), arch === 'arm64' ? -1 : 2, 'arm64 has no open');
    }
    assert.equal(syscallName(56, 'arm64'), 'openat');
    assert.equal(syscallName(79, 'arm64'), 'newfstatat');
    assert.equal(syscallName(244, 'arm64'), 'syscall_f4', 'the arch-specific range is empty on arm64');
    assert.equal(syscallID('clone3', 'arm64'), 435);
  });

  it('the older getSyscallName returns the name in guest-malloc\'d memory', async () => {
    const p = await proxy({}, { getSyscallName: '(param i32) (result i64)' });
    const bp: bigint = p.x.getSyscallName(59);
    assert.equal(p.text(bp), 'execve');
  });

  it('getSyscallDeclaration writes IG\'s 252-byte layout: execve(filename*, argv*, envp*)', async () => {
    const p = await proxy();
    const dst = p.buf(DECLARATION_SIZE);
    assert.equal(p.x.getSyscallDeclaration(p.str('execve'), dst), 0);
    assert.deepEqual(decode(p.read(dst)), {
      name: 'execve',
      params: [{ name: 'filename', pointer: true }, { name: 'argv', pointer: true }, { name: 'envp', pointer: true }],
    });
    assert.equal(p.x.getSyscallDeclaration(p.str('read'), dst), 0);
    assert.deepEqual(decode(p.read(dst)).params.map((x) => `${x.name}${x.pointer ? '*' : ''}`), ['fd', 'buf*', 'count']);
    assert.equal(p.x.getSyscallDeclaration(p.str('fstat'), dst), 0, 'newfstat is reported as fstat, as IG aliases it');
    assert.equal(p.x.getSyscallDeclaration(p.str('getpid'), dst), 0);
    assert.equal(decode(p.read(dst)).params.length, 0);
  });

  it('getSyscallDeclaration fails for unknown syscalls, small buffers and bad pointers', async () => {
    const p = await proxy();
    assert.equal(p.x.getSyscallDeclaration(p.str('foobar'), p.buf(DECLARATION_SIZE)), 1);
    assert.match(p.g.messages('warn').at(-1)!, /getting syscall declaration for "foobar": syscall not found/);
    assert.equal(p.x.getSyscallDeclaration(p.str('execve'), p.buf(DECLARATION_SIZE - 1)), 1);
    assert.equal(p.x.getSyscallDeclaration((6n << 32n) | 0x7ffffff0n, p.buf(DECLARATION_SIZE)), 1);
  });

  it('uses the declarations read from tracefs when the run gives them, instead of the table', async () => {
    const p = await proxy({ syscallDeclarations: { only_this: [{ name: 'a_rather_long_parameter_name_over_32_bytes', pointer: false }] } });
    const dst = p.buf(DECLARATION_SIZE);
    assert.equal(p.x.getSyscallDeclaration(p.str('execve'), dst), 1);
    assert.equal(p.x.getSyscallDeclaration(p.str('only_this'), dst), 0);
    assert.deepEqual(decode(p.read(dst)).params, [{ name: 'a_rather_long_parameter_name_ove', pointer: false }], 'names are cut at 32 bytes');
  });

  it('the built-in table covers the common syscalls with at most 6 parameters', () => {
    const t = builtInDeclarations();
    assert.ok(t.size > 400);
    for (const n of ['openat', 'mmap', 'bpf', 'clone3', 'io_uring_setup']) assert.ok(t.has(n), n);
    assert.ok([...t.values()].every((ps) => ps.length <= 6));
  });
});

describe('host: kallsyms and the mntns filter', () => {
  it('kallsymsSymbolExists matches exactly against the given symbols (IG\'s kallsyms test)', async () => {
    const p = await proxy({ kallsyms: ['socket_file_ops', '_stext'] });
    assert.equal(p.x.kallsymsSymbolExists(p.str('socket_file_ops')), 1);
    assert.equal(p.x.kallsymsSymbolExists(p.str('abcde_this_symbol_does_not_exists')), 0);
    assert.equal(p.x.kallsymsSymbolExists(p.str('socket_file')), 0, 'no prefix match');
    assert.equal(p.x.kallsymsSymbolExists((4n << 32n) | 0x7ffffff0n), 0, 'bad pointer');
  });

  it('shouldDiscardMntnsID keeps everything without a filter; with one, keeps its IDs only (IG\'s filtering test)', async () => {
    const none = await proxy();
    assert.equal(none.x.shouldDiscardMntnsID(555n), 0);
    const p = await proxy({ mntnsFilter: [777n, 0xffffffffffffffffn] });
    assert.equal(p.x.shouldDiscardMntnsID(555n), 1);
    assert.equal(p.x.shouldDiscardMntnsID(777n), 0);
    assert.equal(p.x.shouldDiscardMntnsID(-1n), 0, 'IDs are unsigned 64-bit');
  });
});
