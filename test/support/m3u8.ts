// m3u8-parser (videojs) ships no types: the little of its manifest the tests read.
// @ts-expect-error no declaration file
import { Parser } from 'm3u8-parser';

export interface ParsedPart {
  uri: string;
  duration: number;
  independent?: boolean;
}
export interface ParsedSegment {
  uri?: string;
  duration?: number;
  parts?: ParsedPart[];
  map?: { uri: string };
  dateTimeString?: string;
  preloadHints?: Array<{ type: string; uri: string }>;
}
export interface ParsedPlaylist {
  targetDuration?: number;
  mediaSequence?: number;
  partTargetDuration?: number;
  endList?: boolean;
  playlistType?: string;
  serverControl?: { canBlockReload?: boolean; partHoldBack?: number };
  segments: ParsedSegment[];
  preloadSegment?: ParsedSegment;
  playlists?: Array<{ uri: string; attributes: Record<string, unknown> }>;
}

/** Parses a playlist; warnings (m3u8-parser's complaints about the text) come back too. */
export function parseM3u8(text: string): { manifest: ParsedPlaylist; warnings: string[] } {
  const parser = new Parser();
  const warnings: string[] = [];
  parser.on('warn', (w: { message: string }) => warnings.push(w.message));
  parser.push(text);
  parser.end();
  return { manifest: parser.manifest as ParsedPlaylist, warnings };
}
