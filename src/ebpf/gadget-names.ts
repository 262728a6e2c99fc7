// Names IG gives meaning to in a gadget's eBPF C source: the macros of include/gadget/macros.h and
// buffer.h, and the special types of include/gadget/types.h (IG picks templates and formatters by these
// type names, see the BTF type chain). Names only; the one list the C grammar (src/syntaxes) reads.

/** Whether IG still reads what a macro emits. */
export type MacroStatus = 'current' | 'deprecated' | 'removed';

export interface GadgetMacro {
  name: string;
  status: MacroStatus;
  /** What it declares, for people reading the list. */
  declares: string;
}

export const GADGET_MACROS: readonly GadgetMacro[] = [
  { name: 'GADGET_TRACER', status: 'current', declares: 'a tracer data source fed by a ring buffer or perf array' },
  { name: 'GADGET_TRACER_MAP', status: 'current', declares: 'the ring buffer a tracer reads (buffer.h)' },
  { name: 'GADGET_ITER', status: 'current', declares: 'an iterator data source fed by iter/ programs' },
  { name: 'GADGET_ITER_MEMBER', status: 'current', declares: 'an iter/ program as a member of an iterator (newer headers)' },
  { name: 'GADGET_ITER_TARGET_MAP', status: 'current', declares: 'the map an iter/bpf_map_elem program walks' },
  { name: 'GADGET_MAPITER', status: 'current', declares: 'a data source fetched from a hash map' },
  { name: 'GADGET_SK_TARGET_MAP', status: 'current', declares: 'the sockmap an sk_skb/sk_msg program attaches to' },
  { name: 'GADGET_PARAM', status: 'current', declares: 'a const volatile variable as a param' },
  { name: 'GADGET_MAP_ONLY_IF', status: 'current', declares: 'a map created only when an expression holds (newer headers)' },
  { name: 'GADGET_PROG_ATTACH_TO', status: 'current', declares: 'a program\'s attach target by expression (newer headers)' },
  { name: 'GADGET_ASSERT', status: 'current', declares: 'a load-time precondition (newer headers)' },
  { name: 'GADGET_EXPR_DEFINE', status: 'current', declares: 'a named value for later expressions (newer headers)' },
  // Still expands (to GADGET_ITER) with a deprecation warning.
  { name: 'GADGET_SNAPSHOTTER', status: 'deprecated', declares: 'an iterator (old name of GADGET_ITER)' },
  // Gone from the headers: a gadget using them no longer compiles against current IG.
  { name: 'GADGET_TOPPER', status: 'removed', declares: 'a topper (IG now ignores gadget_topper_ markers)' },
  { name: 'GADGET_TRACE_MAP', status: 'removed', declares: 'a trace map (replaced by GADGET_TRACER)' },
];

/** Typedefs, structs and unions of types.h; IG recognises fields by these names in the BTF type chain. */
export const GADGET_TYPES: readonly string[] = [
  'gadget_timestamp', 'gadget_mntns_id', 'gadget_netns_id',
  'gadget_pid', 'gadget_ppid', 'gadget_tid', 'gadget_ptid', 'gadget_uid', 'gadget_gid',
  'gadget_comm', 'gadget_pcomm',
  'gadget_errno', 'gadget_signal', 'gadget_syscall', 'gadget_bytes', 'gadget_duration',
  'gadget_file_mode', 'gadget_file_flags', 'gadget_kernel_stack', 'gadget_user_stack',
  'gadget_ip_addr_t', 'gadget_l3endpoint_t', 'gadget_l4endpoint_t',
  'gadget_process', 'gadget_creds', 'gadget_parent',
  'gadget_counter__u32', 'gadget_counter__u64', 'gadget_gauge__u32', 'gadget_gauge__u64',
  'gadget_histogram_slot__u32', 'gadget_histogram_slot__u64',
];
