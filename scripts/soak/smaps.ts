import { readFileSync } from 'node:fs';

/** A node's RSS split by mapping (/proc/PID/smaps): glibc's brk heap, anonymous mappings, files. */
export interface Split {
  brk: number;
  anon: number;
  file: number;
}

export function smapsSplit(pid: number | undefined): Split | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/smaps`, 'utf8');
  } catch {
    return null;
  }
  const split: Split = { brk: 0, anon: 0, file: 0 };
  let kind: keyof Split | null = null;
  for (const line of text.split('\n')) {
    const head = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s*(.*)$/.exec(line);
    if (head) {
      const name = head[1]!.trim();
      // [stack], [vdso] and the like are a few KiB: counted with the anonymous mappings.
      kind = name === '[heap]' ? 'brk' : name === '' || name.startsWith('[') ? 'anon' : 'file';
    } else if (kind && line.startsWith('Rss:')) split[kind] += Number(line.split(/\s+/)[1]) * 1024;
  }
  return split;
}
