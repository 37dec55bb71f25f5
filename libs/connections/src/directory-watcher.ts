import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Calls `onChange` (debounced) whenever something in the file's directory
 * changes. Watching the directory rather than the file survives editors that
 * write a new file and rename it over the old one, and Kubernetes Secret
 * volumes, which swap the `..data` symlink: the file's own inode changes in
 * both cases, so a file watch would go deaf after the first update. The watch
 * keeps the process alive until close().
 */
export class DirectoryWatcher {
  private readonly watcher: FSWatcher;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    path: string,
    private readonly onChange: () => void,
    private readonly debounceMs = 100,
    onError: (error: Error) => void = () => undefined,
  ) {
    // Any entry may be the one the path resolves through (`..data`, a temp file renamed
    // over it), so every event schedules a re-read; the caller compares content hashes.
    this.watcher = watch(dirname(path), () => this.schedule());
    this.watcher.on('error', onError);
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onChange();
    }, this.debounceMs);
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher.close();
  }
}
