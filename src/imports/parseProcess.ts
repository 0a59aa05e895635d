import { type ChildProcess, fork } from "node:child_process";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Socket } from "node:net";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  MappingError,
  PermanentImportError,
  type InvalidRow,
  type PermanentImportErrorCode,
  type ReadLimits,
  type ReadOptions,
  type RepeatPolicy,
  type SpreadsheetHeader,
  type SpreadsheetKind,
  type TemplateColumn,
} from "../spreadsheet/index.js";
import type { InferOptions, InferredTemplate } from "./inferTemplate.js";

/**
 * Reading a file runs in a child process whose JavaScript heap is capped at `PARSE_MEMORY_MB`: a
 * file built to blow up in memory (a sharedStrings table of 300 million entries, a cell in column
 * XFD on every row) kills that process, not the server, and its import fails with a message. A
 * `worker_threads` thread with `resourceLimits` was tried first and does not do it: a thread that
 * reaches its limit while V8 grows one large array, map or string aborts the whole process
 * ("Reached heap limit", on Node 20 and 24 alike), because Node lets the thread finish its
 * allocation with only 16 MB to spare.
 *
 * The parent keeps the database: it streams the stored file to the child as the child asks for it,
 * and the child sends back the header, then the validated rows in batches, at most
 * {@link BATCHES_IN_FLIGHT} unread at a time, so a slow database holds the child back rather than
 * filling the parent's memory. inferImportTemplate's sample is read there too, from a temporary
 * file the upload was received into.
 *
 * Starting a child costs a second of CPU (tsx and the readers' libraries load), so a child that
 * read a file to its end, or stopped at a fault of the file, reads the next one; one that crashed,
 * ran out of memory or was stopped midway is not reused. An idle child exits after {@link IDLE_MS};
 * at most {@link MAX_IDLE} wait.
 */

/**
 * Rows per message from the child: few enough messages, small enough batches; a batch's valid rows
 * are one insert statement.
 */
export const ROWS_PER_BATCH = 2_000;
/** Batches the child may send ahead of the parent: one being written, one waiting. */
export const BATCHES_IN_FLIGHT = 2;
/** How long a child waits for its next file before it is stopped. */
const IDLE_MS = 30_000;
/** Children kept waiting at most: a burst of files leaves no crowd behind (4 is WORKER_CONCURRENCY's default). */
const MAX_IDLE = 4;

/** What the child needs to read a file: everything but the bytes, which it asks for. */
export interface ReadRequest {
  kind: SpreadsheetKind;
  columns: readonly TemplateColumn[];
  options: ReadOptions;
  /** How rows repeating earlier rows of the file are treated (see repeatedRows.ts). */
  repeats: RepeatPolicy;
}

/** A failure in the child, as plain data: error classes do not survive the trip. */
export type FailureData =
  | {
      type: "mapping";
      code: PermanentImportErrorCode;
      message: string;
      header: SpreadsheetHeader;
    }
  | { type: "permanent"; code: PermanentImportErrorCode; message: string }
  | { type: "other"; name: string; message: string };

/** Messages from the child, each naming the file (`session`) it is about. */
export type ChildMessage = { session: number } & (
  | { type: "read" }
  | { type: "sample"; sample: InferredTemplate }
  | { type: "header"; header: SpreadsheetHeader }
  /** a {@link RowBatch}, its rejected rows as JSON */
  | { type: "rows"; records: string; valid: number; rejected: string; duplicate: number }
  | { type: "end"; encoding: string | null }
  | { type: "failed"; failure: FailureData }
);

/** What the child is asked to do with a file: read its rows, or propose a template from its top. */
export type Task =
  { type: "open"; request: ReadRequest } | { type: "sample"; options: InferOptions; limits: Partial<ReadLimits> };

/** Messages to the child: a file's task, then its bytes as asked for, and a credit per batch of rows read. */
export type ParentMessage = { session: number } & (
  Task | { type: "chunk"; data: Uint8Array | null } | { type: "more" }
);

/** What the child reports about a file, once read past the `read` requests. */
type Report = Exclude<ChildMessage, { type: "read" | "failed" }>;

/**
 * Up to {@link ROWS_PER_BATCH} data rows, in file order: the valid ones already as the JSON text
 * their insert takes, so that the parent neither reads nor writes them again (JSON also crosses
 * faster than the structured clone of many small objects), and the rows with errors as rows.
 */
export interface RowBatch {
  /** The valid rows as a JSON array of `[rowNumber, values]` pairs. */
  records: string;
  /** How many valid rows `records` holds. */
  valid: number;
  rejected: InvalidRow[];
  /** Rows skipped as exact repeats of earlier rows (duplicates SKIP). */
  duplicate: number;
}

/** A file opened in a child process: its header is known; its rows are read on demand. */
export interface IsolatedSpreadsheet {
  readonly header: SpreadsheetHeader;
  /**
   * The data rows after the header, as `OpenedSpreadsheet.rows()` gives them, in batches; can be
   * iterated once. The child reads ahead by at most {@link BATCHES_IN_FLIGHT} batches.
   */
  batches(): AsyncGenerator<RowBatch, void, undefined>;
  /** A text file's encoding as known at the end (it can turn out to be Windows-1252 late). */
  readonly encoding: string | null;
  /** Stops reading (the child, unless it is done); safe to call more than once. */
  close(): Promise<void>;
}

/** Reads files in child processes of one heap size; see the top of this file. */
export interface FileReaders {
  /**
   * Opens `open()`'s bytes as `openSpreadsheet` would, in a child process, and waits for the header.
   *
   * @throws {PermanentImportError} as `openSpreadsheet` does, `TOO_LARGE` when the child ran out of
   *   memory; {@link MappingError} with the header; an error of the byte stream unchanged; any
   *   other failure of the child as a plain `Error` (a retry may help).
   */
  open(open: () => Readable, request: ReadRequest): Promise<IsolatedSpreadsheet>;
  /**
   * Proposes a template for `upload`'s bytes as inferTemplate.ts's `readSample` does, in a child
   * process; throws as `open` does, or `upload`'s own error. The bytes are all received into a
   * temporary file first, which is removed however this ends.
   */
  sample(upload: AsyncIterable<Buffer>, options: InferOptions, limits: Partial<ReadLimits>): Promise<InferredTemplate>;
}

/** Compiled (`node dist/main.js`), this module is a .js file beside a compiled entry, run by plain node. */
const COMPILED = import.meta.url.endsWith(".js");
const ENTRY = fileURLToPath(new URL(COMPILED ? "./parseProcessEntry.js" : "./parseProcessEntry.ts", import.meta.url));
/**
 * From source, tsx's loader, found from here rather than from the working directory, which can be
 * anywhere; compiled, none (tsx is a devDependency).
 */
const LOADER = COMPILED ? [] : ["--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href];

/** The message a file gets when reading it needs more memory than `memoryMb`. */
export function needsMoreMemory(memoryMb: number): PermanentImportError {
  return new PermanentImportError("TOO_LARGE", `This file needs more memory than allowed (limit ${memoryMb} MB).`);
}

const byMemory = new Map<number, FileReaders>();

/**
 * The process's file readers with `memoryMb` of heap each: one set for imports and samples alike,
 * so a child started for one serves the other.
 */
export function fileReaders(memoryMb: number): FileReaders {
  let readers = byMemory.get(memoryMb);
  if (!readers) byMemory.set(memoryMb, (readers = startFileReaders(memoryMb)));
  return readers;
}

/**
 * Samples (inferImportTemplate, in API requests) read at once per process; more wait their turn,
 * so a burst of requests cannot start a crowd of readers of `memoryMb` each. A sample takes its
 * turn only once its upload has arrived whole, so a turn never waits on a client: slow uploads
 * could otherwise hold both turns for the upload deadline and keep every other user's sample
 * waiting. Imports need no such bound: a worker runs at most WORKER_CONCURRENCY of them.
 */
const MAX_SAMPLES = 2;

function startFileReaders(memoryMb: number): FileReaders {
  const idle = new Set<ReaderProcess>();
  let sampling = 0;
  const waiting: Array<() => void> = [];
  const sampleTurn = async () => {
    if (sampling < MAX_SAMPLES) sampling++;
    else await new Promise<void>((resolve) => waiting.push(resolve));
  };
  const sampleDone = () => {
    const next = waiting.shift();
    if (next)
      next(); // the turn passes to the next in line
    else sampling--;
  };
  const take = async () => {
    for (const reader of idle) {
      idle.delete(reader);
      if (reader.alive) return reader;
    }
    return ReaderProcess.start(memoryMb);
  };
  /** Hands `open()`'s bytes to a child with `task`; a child that finished it waits for the next. */
  const begin = async (open: () => Readable, task: Task) => {
    const reader = await take();
    return new Session(reader, reader.busy(), open, task, () => {
      if (idle.size >= MAX_IDLE) void reader.stop();
      else if (reader.idle(() => idle.delete(reader))) idle.add(reader);
    });
  };
  return {
    async open(open, request) {
      const session = await begin(open, { type: "open", request });
      try {
        const first = await session.next();
        if (first.type !== "header") throw new Error(`The file reader answered ${first.type} before the header.`);
        return new ChildSpreadsheet(first.header, session);
      } catch (err) {
        await session.close();
        throw err;
      }
    },
    async sample(upload, options, limits) {
      const directory = await mkdtemp(path.join(tmpdir(), `${TMP_PREFIX}${process.pid}-`));
      try {
        const file = path.join(directory, "sample");
        await pipeline(upload, createWriteStream(file));
        await sampleTurn();
        try {
          const session = await begin(() => createReadStream(file), {
            type: "sample",
            options,
            limits,
          });
          try {
            const report = await session.next();
            if (report.type !== "sample") throw new Error(`The file reader answered ${report.type} for a sample.`);
            return report.sample;
          } finally {
            await session.close();
          }
        } finally {
          sampleDone();
        }
      } finally {
        await rm(directory, { recursive: true, force: true });
      }
    },
  };
}

/** Temporary directories of file readers and of samples are named after this and their server's pid. */
const TMP_PREFIX = "import-read-";
let swept: Promise<void> | undefined;

/**
 * Removes the temporary directories of readers and samples whose server is gone: a process group
 * killed as a whole (SIGKILL) takes the reader with it, and neither is left to clean up.
 */
async function sweepLeftovers(): Promise<void> {
  const names = await readdir(tmpdir()).catch(() => []);
  for (const name of names) {
    const owner = name.startsWith(TMP_PREFIX) ? Number(name.slice(TMP_PREFIX.length).split("-")[0]) : NaN;
    if (Number.isInteger(owner) && owner > 0 && !isRunning(owner)) {
      await rm(path.join(tmpdir(), name), {
        recursive: true,
        force: true,
      }).catch(() => undefined);
    }
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM"; // someone else's: running
  }
}

/** One child process, reading one file at a time. */
class ReaderProcess {
  private session: Session | null = null;
  private sessions = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  /** Set once it exited: it cannot read another file. */
  private gone = false;
  private stderr = "";
  readonly exited: Promise<void>;

  static async start(memoryMb: number): Promise<ReaderProcess> {
    await (swept ??= sweepLeftovers());
    // its temporary files (parked worksheets) go here, so they go with it however it ends
    const directory = await mkdtemp(path.join(tmpdir(), `${TMP_PREFIX}${process.pid}-`));
    return new ReaderProcess(memoryMb, directory);
  }

  private constructor(
    private readonly memoryMb: number,
    directory: string,
  ) {
    const child = fork(ENTRY, [], {
      execArgv: [...LOADER, `--max-old-space-size=${memoryMb}`],
      env: { ...process.env, IMPORT_READ_TMPDIR: directory },
      serialization: "advanced",
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    this.child = child;
    child.stderr?.setEncoding("utf8").on("data", (text: string) => (this.stderr = (this.stderr + text).slice(-8192)));
    child.on("message", (message: ChildMessage) => this.session?.receive(message));
    child.on("error", (err) => this.session?.fail(err));
    this.exited = new Promise((resolve) => {
      child.on("close", (code, signal) => {
        this.gone = true;
        this.session?.fail(this.exitError(code, signal));
        // a temporary directory left behind is not worth a failure
        void rm(directory, { recursive: true, force: true }).then(resolve, resolve);
      });
    });
  }

  private readonly child: ChildProcess;

  get alive(): boolean {
    return !this.gone && this.child.connected;
  }

  /** Takes the process for a new file; returns the file's session number. */
  busy(): number {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.refs("ref");
    return ++this.sessions;
  }

  /** From now on, what the child says goes to `session`; if it already exited, `session` fails. */
  attach(session: Session) {
    this.session = session;
    if (this.gone) session.fail(new Error("The file reader stopped unexpectedly."));
  }

  /**
   * Back to waiting for a file, stopped after {@link IDLE_MS}; holds the server's exit for nothing.
   * Returns false when the process is gone, so it cannot be reused.
   */
  idle(onStop: () => void): boolean {
    this.session = null;
    if (!this.alive) return false;
    this.refs("unref");
    this.idleTimer = setTimeout(() => {
      onStop();
      void this.stop();
    }, IDLE_MS).unref();
    return true;
  }

  send(message: ParentMessage) {
    if (this.child.connected) this.child.send(message, () => undefined);
  }

  /** An idle child, its channel and its stderr keep the server's event loop waiting for nothing. */
  private refs(how: "ref" | "unref") {
    this.child[how]();
    this.child.channel?.[how]();
    (this.child.stderr as Socket | null)?.[how]();
  }

  async stop(): Promise<void> {
    this.session = null;
    this.child.kill("SIGKILL");
    await this.exited;
  }

  private exitError(code: number | null, signal: NodeJS.Signals | null): Error {
    if (/heap out of memory|invalid size error|allocation failed/i.test(this.stderr)) {
      return needsMoreMemory(this.memoryMb);
    }
    return new Error(`The file reader stopped unexpectedly (${signal ?? `exit code ${code}`}).`);
  }
}

/**
 * One file read by a {@link ReaderProcess}: feeds it the bytes it asks for, queues what it reports,
 * and puts it back for the next file (`release`) if it finished this one, else stops it.
 */
class Session {
  private readonly reports: Report[] = [];
  private failure: { error: unknown } | null = null;
  private wake: (() => void) | null = null;
  private readonly input: Readable;
  private readonly chunks: AsyncIterator<Buffer>;
  /** The child is done with this file and can read another. */
  private done = false;
  private closed: Promise<void> | null = null;

  constructor(
    private readonly reader: ReaderProcess,
    readonly id: number,
    open: () => Readable,
    task: Task,
    private readonly release: () => void,
  ) {
    this.input = open();
    this.chunks = this.input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    reader.attach(this);
    reader.send({ ...task, session: id });
  }

  receive(message: ChildMessage) {
    if (message.session !== this.id) return;
    switch (message.type) {
      case "read":
        this.chunks.next().then(
          ({ done, value }) => {
            if (!this.closed)
              this.reader.send({
                session: this.id,
                type: "chunk",
                data: done ? null : value,
              });
          },
          (err: unknown) => this.fail(err), // the storage's or the upload's own error, unchanged
        );
        return;
      case "failed":
        // a fault of the file, caught: the child is fine for the next one
        this.done = message.failure.type !== "other";
        return this.fail(fromFailureData(message.failure));
      case "end":
      case "sample":
        this.done = true;
    }
    this.reports.push(message);
    this.wake?.();
  }

  /** Only the first failure counts: the child's own report comes before its exit. */
  fail(error: unknown) {
    this.failure ??= { error };
    this.wake?.();
  }

  /** The child's next report; throws its failure once the reports before it are read. */
  async next(): Promise<Report> {
    for (;;) {
      const report = this.reports.shift();
      if (report) return report;
      if (this.failure) throw this.failure.error;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = null;
    }
  }

  /** Lets the child send one more batch of rows. */
  more() {
    this.reader.send({ session: this.id, type: "more" });
  }

  close(): Promise<void> {
    this.closed ??= (async () => {
      this.input.destroy();
      if (this.done) this.release();
      else await this.reader.stop();
    })();
    return this.closed;
  }
}

class ChildSpreadsheet implements IsolatedSpreadsheet {
  encoding: string | null;
  private started = false;

  constructor(
    readonly header: SpreadsheetHeader,
    private readonly session: Session,
  ) {
    this.encoding = header.encoding;
  }

  async *batches(): AsyncGenerator<RowBatch, void, undefined> {
    if (this.started) throw new Error("The rows of a spreadsheet can only be read once");
    this.started = true;
    try {
      for (;;) {
        const report = await this.session.next();
        if (report.type === "end") {
          this.encoding = report.encoding;
          return;
        }
        if (report.type !== "rows") throw new Error(`The file reader sent ${report.type} among its rows.`);
        const { records, valid, rejected, duplicate } = report;
        yield {
          records,
          valid,
          rejected: JSON.parse(rejected) as RowBatch["rejected"],
          duplicate,
        };
        this.session.more();
      }
    } finally {
      await this.close();
    }
  }

  close(): Promise<void> {
    return this.session.close();
  }
}

/** What the child sends for an error it caught (see {@link FailureData}). */
export function toFailureData(err: unknown): FailureData {
  if (err instanceof MappingError) {
    // the header's `problem` is this very error, rebuilt on the other side
    return {
      type: "mapping",
      code: err.code,
      message: err.message,
      header: { ...err.header, problem: null },
    };
  }
  if (err instanceof PermanentImportError) return { type: "permanent", code: err.code, message: err.message };
  const error = err instanceof Error ? err : new Error(String(err));
  return { type: "other", name: error.name, message: error.message };
}

/** The error classes back, from {@link toFailureData}'s plain data. */
function fromFailureData(failure: FailureData): Error {
  switch (failure.type) {
    case "mapping": {
      const problem = new PermanentImportError(failure.code, failure.message);
      return new MappingError(problem, { ...failure.header, problem });
    }
    case "permanent":
      return new PermanentImportError(failure.code, failure.message);
    case "other":
      return Object.assign(new Error(failure.message), { name: failure.name });
  }
}
