// The machine inputs of the simulated kernel: tracefs syscall formats and kallsyms files.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseFormat, parseKallsyms, readTracefsDeclarations } from '../../../src/events/machine';
import { TempDir } from './helpers';

const EXECVE = `name: sys_enter_execve
ID: 712
format:
\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;
\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;

\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;
\tfield:const char * filename;\toffset:16;\tsize:8;\tsigned:0;
\tfield:const char *const * argv;\toffset:24;\tsize:8;\tsigned:0;
\tfield:unsigned long flags;\toffset:32;\tsize:8;\tsigned:0;

print fmt: "filename: 0x%08lx, argv: 0x%08lx", ((unsigned long)(REC->filename)), ((unsigned long)(REC->argv))
`;

describe('ig-wasm run: kernel inputs from the machine', () => {
  it('reads a tracefs format as IG does: fields after the first blank line, no __syscall_nr, * = pointer', () => {
    assert.deepEqual(parseFormat(EXECVE), [
      { name: 'filename', pointer: true }, { name: 'argv', pointer: true }, { name: 'flags', pointer: false },
    ]);
  });

  it('reads every sys_enter_* format of a tracefs tree, naming them as IG (newfstat is fstat)', () => {
    const tmp = new TempDir();
    try {
      for (const [name, text] of [['sys_enter_execve', EXECVE], ['sys_enter_newfstat', EXECVE], ['sys_exit_execve', '']]) {
        mkdirSync(path.join(tmp.dir, 'events/syscalls', name), { recursive: true });
        writeFileSync(path.join(tmp.dir, 'events/syscalls', name, 'format'), text);
      }
      const got = readTracefsDeclarations([path.join(tmp.dir, 'missing'), tmp.dir]);
      assert.deepEqual(Object.keys(got ?? {}).sort(), ['execve', 'fstat']);
      assert.equal(readTracefsDeclarations([path.join(tmp.dir, 'missing')]), undefined);
    } finally {
      tmp.remove();
    }
  });

  it('takes the symbol names of a /proc/kallsyms file, module symbols included', () => {
    assert.deepEqual(parseKallsyms('ffffffff81000000 T _stext\n0000000000000000 t helper\t[nf_tables]\n\n'), ['_stext', 'helper']);
  });
});
