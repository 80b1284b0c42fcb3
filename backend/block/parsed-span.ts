/**
 * One span of a trace being written, as positions into the trace's bytes (no copies). Objects are pooled
 * by the parser and overwritten for every trace.
 */
export class ParsedSpan {
  /** Byte range of the whole Span message. */
  start = 0;
  end = 0;
  /** Kept as its bytes: something the columns cannot represent exactly (see parse-span.ts). */
  raw = false;
  idAt = 0;
  parentAt = -1;
  parentLen = 0;
  stateAt = 0;
  stateLen = 0;
  nameAt = 0;
  nameLen = 0;
  kind = 0;
  startLo = 0;
  startHi = 0;
  endLo = 0;
  endHi = 0;
  flags = 0;
  droppedAttributes = 0;
  droppedEvents = 0;
  droppedLinks = 0;
  /** 0 without a status field, else 1 + code. */
  status = 0;
  messageAt = 0;
  messageLen = 0;
  /** Index of the first attribute in the parser's attribute table, and how many. */
  attrFirst = 0;
  attrCount = 0;
  /** Each event: its time and its other fields as encoded. */
  eventTimes: number[] = [];
  eventRests: Uint8Array[] = [];
  /** Links as encoded. */
  links: Uint8Array[] = [];
  /** Fields the format does not model, as encoded (usually none). */
  rest: Uint8Array[] = [];

  reset(start: number, end: number): void {
    this.start = start;
    this.end = end;
    this.raw = false;
    this.parentAt = -1;
    this.parentLen = this.stateLen = this.nameLen = this.kind = 0;
    this.startLo = this.startHi = this.endLo = this.endHi = this.flags = 0;
    this.droppedAttributes = this.droppedEvents = this.droppedLinks = this.status = this.messageLen = 0;
    this.attrCount = 0;
    this.eventTimes.length = 0;
    this.eventRests.length = 0;
    this.links.length = 0;
    this.rest.length = 0;
  }
}
