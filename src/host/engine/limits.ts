// What a guest can make the host keep. IG's Go host has no such bounds, but there a guest shares the
// memory of a long-lived `ig` process with its peers; here a few hundred calls of fieldAddTag with 2 MiB
// tags turned 16 MiB of guest memory into 600 MiB of host strings. Each bound is far above what real
// gadgets use (names of tens of bytes, a handful of data sources and tags), and a call over it fails
// with the function's error value and a warning naming the limit, like any other refused call.
// The README's host section lists them; keep it in step.

/** Bytes of one data source name or field name. */
export const MAX_NAME_BYTES = 256;
/** Bytes of one field tag. */
export const MAX_TAG_BYTES = 1024;
/** Tags of one field. */
export const MAX_TAGS_PER_FIELD = 64;
/** Data sources the guest may create (newDataSource; a replaced name counts once). */
export const MAX_DATA_SOURCES = 256;
/** Fields of one data source (host-declared and guest-added together). */
export const MAX_FIELDS_PER_DATA_SOURCE = 1024;
/** Names and tags together, over the whole run: what every `datasources` report carries. */
export const MAX_METADATA_BYTES = 1 << 20;
/** Bytes of one String or Bytes value stored with fieldSet (IG's gRPC default caps a whole message at 4 MiB). */
export const MAX_VALUE_BYTES = 1 << 20;
/** Elements of one array packet. */
export const MAX_ARRAY_ELEMENTS = 65536;
/** Characters of one gadgetLog message or stdout/stderr line; longer ones are cut, with a note. */
export const MAX_LINE_CHARS = 64 * 1024;
/** Bytes of one setConfig key, and of one value. */
export const MAX_CONFIG_KEY_BYTES = 256;
export const MAX_CONFIG_VALUE_BYTES = 64 * 1024;
/** Keys + values written by setConfig over the whole run. */
export const MAX_CONFIG_BYTES = 1 << 20;

/** A line cut to MAX_LINE_CHARS characters, with a note saying so (text stays whole up to the cut). */
export function cutLine(text: string, max = MAX_LINE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max)} … [cut: the line has ${text.length} characters; the host keeps ${max}]`;
}
