// The syscall functions: getSyscallName / getSyscallID from static tables (x86_64 below, Linux 6.x's
// `arch/x86/entry/syscalls/syscall_64.tbl`; arm64 in data/syscalls.ts; from 424 on every architecture
// shares one numbering), for the architecture the run asks for (the machine's by default in the CLI), and
// getSyscallDeclaration in IG's 252-byte layout, from the machine's tracefs when the embedder read it,
// else from the table data/syscalls.ts was generated with.
import type { SyscallArch, SyscallParam } from '../api';
import { mallocCopy, type HostContext } from '../engine/context';
import { encodeUtf8 } from '../engine/kinds';
import { ARM64_LOW, SYSCALL_PARAMS } from '../data/syscalls';
import type { HostFunctionDef } from './define';

/** Names of syscalls 0..336, in order. */
const LOW =
  'read write open close stat fstat lstat poll lseek mmap mprotect munmap brk rt_sigaction ' +
  'rt_sigprocmask rt_sigreturn ioctl pread64 pwrite64 readv writev access pipe select sched_yield ' +
  'mremap msync mincore madvise shmget shmat shmctl dup dup2 pause nanosleep getitimer alarm setitimer ' +
  'getpid sendfile socket connect accept sendto recvfrom sendmsg recvmsg shutdown bind listen ' +
  'getsockname getpeername socketpair setsockopt getsockopt clone fork vfork execve exit wait4 kill ' +
  'uname semget semop semctl shmdt msgget msgsnd msgrcv msgctl fcntl flock fsync fdatasync truncate ' +
  'ftruncate getdents getcwd chdir fchdir rename mkdir rmdir creat link unlink symlink readlink chmod ' +
  'fchmod chown fchown lchown umask gettimeofday getrlimit getrusage sysinfo times ptrace getuid syslog ' +
  'getgid setuid setgid geteuid getegid setpgid getppid getpgrp setsid setreuid setregid getgroups ' +
  'setgroups setresuid getresuid setresgid getresgid getpgid setfsuid setfsgid getsid capget capset ' +
  'rt_sigpending rt_sigtimedwait rt_sigqueueinfo rt_sigsuspend sigaltstack utime mknod uselib ' +
  'personality ustat statfs fstatfs sysfs getpriority setpriority sched_setparam sched_getparam ' +
  'sched_setscheduler sched_getscheduler sched_get_priority_max sched_get_priority_min ' +
  'sched_rr_get_interval mlock munlock mlockall munlockall vhangup modify_ldt pivot_root _sysctl prctl ' +
  'arch_prctl adjtimex setrlimit chroot sync acct settimeofday mount umount2 swapon swapoff reboot ' +
  'sethostname setdomainname iopl ioperm create_module init_module delete_module get_kernel_syms ' +
  'query_module quotactl nfsservctl getpmsg putpmsg afs_syscall tuxcall security gettid readahead ' +
  'setxattr lsetxattr fsetxattr getxattr lgetxattr fgetxattr listxattr llistxattr flistxattr ' +
  'removexattr lremovexattr fremovexattr tkill time futex sched_setaffinity sched_getaffinity ' +
  'set_thread_area io_setup io_destroy io_getevents io_submit io_cancel get_thread_area lookup_dcookie ' +
  'epoll_create epoll_ctl_old epoll_wait_old remap_file_pages getdents64 set_tid_address ' +
  'restart_syscall semtimedop fadvise64 timer_create timer_settime timer_gettime timer_getoverrun ' +
  'timer_delete clock_settime clock_gettime clock_getres clock_nanosleep exit_group epoll_wait ' +
  'epoll_ctl tgkill utimes vserver mbind set_mempolicy get_mempolicy mq_open mq_unlink mq_timedsend ' +
  'mq_timedreceive mq_notify mq_getsetattr kexec_load waitid add_key request_key keyctl ioprio_set ' +
  'ioprio_get inotify_init inotify_add_watch inotify_rm_watch migrate_pages openat mkdirat mknodat ' +
  'fchownat futimesat newfstatat unlinkat renameat linkat symlinkat readlinkat fchmodat faccessat ' +
  'pselect6 ppoll unshare set_robust_list get_robust_list splice tee sync_file_range vmsplice ' +
  'move_pages utimensat epoll_pwait signalfd timerfd_create eventfd fallocate timerfd_settime ' +
  'timerfd_gettime accept4 signalfd4 eventfd2 epoll_create1 dup3 pipe2 inotify_init1 preadv pwritev ' +
  'rt_tgsigqueueinfo perf_event_open recvmmsg fanotify_init fanotify_mark prlimit64 name_to_handle_at ' +
  'open_by_handle_at clock_adjtime syncfs sendmmsg setns getcpu process_vm_readv process_vm_writev kcmp ' +
  'finit_module sched_setattr sched_getattr renameat2 seccomp getrandom memfd_create kexec_file_load ' +
  'bpf execveat userfaultfd membarrier mlock2 copy_file_range preadv2 pwritev2 pkey_mprotect pkey_alloc ' +
  'pkey_free statx io_pgetevents rseq uretprobe uprobe';
/** Names of syscalls 424..470, in order (337..423 are unused on x86_64). */
const HIGH =
  'pidfd_send_signal io_uring_setup io_uring_enter io_uring_register open_tree move_mount fsopen ' +
  'fsconfig fsmount fspick pidfd_open clone3 close_range openat2 pidfd_getfd faccessat2 process_madvise ' +
  'epoll_pwait2 mount_setattr quotactl_fd landlock_create_ruleset landlock_add_rule ' +
  'landlock_restrict_self memfd_secret process_mrelease futex_waitv set_mempolicy_home_node cachestat ' +
  'fchmodat2 map_shadow_stack futex_wake futex_wait futex_requeue statmount listmount lsm_get_self_attr ' +
  'lsm_set_self_attr lsm_list_modules mseal setxattrat getxattrat listxattrat removexattrat ' +
  'open_tree_attr file_getattr file_setattr listns';

interface Table { names: Map<number, string>; ids: Map<string, number> }

function table(low: string): Table {
  const names = new Map<number, string>();
  low.trim().split(' ').forEach((n, i) => { if (n !== '-') names.set(i, n); });
  HIGH.trim().split(' ').forEach((n, i) => names.set(424 + i, n));
  return { names, ids: new Map([...names].map(([id, n]) => [n, id])) };
}

const TABLES: Partial<Record<SyscallArch, Table>> = {};
const tableOf = (arch: SyscallArch): Table => (TABLES[arch] ??= table(arch === 'arm64' ? ARM64_LOW : LOW));

/** IG's name for a syscall number: the table's, else `syscall_<hex id>`. */
export function syscallName(id: number, arch: SyscallArch = 'x86_64'): string {
  return tableOf(arch).names.get(id) ?? `syscall_${id.toString(16)}`;
}

export function syscallID(name: string, arch: SyscallArch = 'x86_64'): number | undefined {
  return tableOf(arch).ids.get(name);
}

let builtIn: Map<string, SyscallParam[]> | undefined;

/** The built-in declarations (data/syscalls.ts), parsed on first use. */
export function builtInDeclarations(): Map<string, SyscallParam[]> {
  if (builtIn) return builtIn;
  builtIn = new Map();
  for (const m of SYSCALL_PARAMS.matchAll(/^(\w+)\(([^)]*)\)$/gm)) {
    builtIn.set(m[1], m[2] ? m[2].split(',').map((p) => ({ name: p.replace('*', ''), pointer: p.endsWith('*') })) : []);
  }
  return builtIn;
}

/** IG's syscallDeclaration: name[32], u8 parameter count, 3 bytes padding, 6 × (name[32], u32 flags). */
export const DECLARATION_SIZE = 252;
const IS_POINTER = 1;

export function encodeDeclaration(name: string, params: readonly SyscallParam[]): Uint8Array {
  const out = new Uint8Array(DECLARATION_SIZE);
  out.set(encodeUtf8(name).subarray(0, 32), 0);
  out[32] = Math.min(params.length, 6);
  params.slice(0, 6).forEach((p, i) => {
    const at = 36 + i * 36;
    out.set(encodeUtf8(p.name).subarray(0, 32), at);
    if (p.pointer) new DataView(out.buffer).setUint32(at + 32, IS_POINTER, true);
  });
  return out;
}

function declaration(ctx: HostContext, name: string): SyscallParam[] | undefined {
  const given = ctx.kernel.syscallDeclarations;
  return given ? given[name] : builtInDeclarations().get(name);
}

export const syscallFunctions: HostFunctionDef[] = [
  {
    name: 'getSyscallName', params: { id: 'i32', dst: 'i64' }, results: ['i32'], revision: 'current',
    make: (ctx) => (id: number, dst: bigint): number => {
      // IG truncates the id to 16 bits.
      const name = syscallName(id & 0xffff, ctx.kernel.arch);
      if (!ctx.mem.writeToDst(dst, encodeUtf8(name))) {
        ctx.log(1, `getSyscallName: destination too small or out of bounds for "${name}"`);
        return 1;
      }
      return 0;
    },
  },
  {
    // The older revision: the name comes back as a bufPtr to guest-malloc'd memory (0 on failure).
    name: 'getSyscallName', params: { id: 'i32' }, results: ['i64'], revision: 'seed',
    make: (ctx) => (id: number): bigint => mallocCopy(ctx, 'getSyscallName', encodeUtf8(syscallName(id & 0xffff, ctx.kernel.arch))),
  },
  {
    name: 'getSyscallID', params: { name: 'i64' }, results: ['i32'], revision: 'current',
    make: (ctx) => (nameBp: bigint): number => {
      const name = ctx.mem.readString(nameBp);
      if (name === null) { ctx.log(1, 'getSyscallID: invalid pointer for the name'); return -1; }
      return syscallID(name, ctx.kernel.arch) ?? -1;
    },
  },
  {
    name: 'getSyscallDeclaration', params: { name: 'i64', dst: 'i64' }, results: ['i32'], revision: 'kernel',
    make: (ctx) => (nameBp: bigint, dst: bigint): number => {
      const name = ctx.mem.readString(nameBp);
      if (name === null) { ctx.log(1, 'getSyscallDeclaration: reading string from stack: invalid pointer'); return 1; }
      const params = declaration(ctx, name);
      if (!params) { ctx.log(1, `getSyscallDeclaration: getting syscall declaration for "${name}": syscall not found`); return 1; }
      if (!ctx.mem.writeToDst(dst, encodeDeclaration(name, params))) {
        ctx.log(1, `getSyscallDeclaration: writing back syscall declaration to stack: the buffer must hold ${DECLARATION_SIZE} bytes`);
        return 1;
      }
      return 0;
    },
  },
];
