"""Keep a served index up to date in the background: after the seed folder changes, and
when no sound build is left to serve (for serve).

watchdog's inotify observer tells when a file under the seed folder changes: it costs
nothing while nothing changes (1 ms of CPU in 5 s idle over 20,000 files, where a poll
of the same folder, a walk and a stat per file, took 0.83 s) and reports a change within
a millisecond. Where inotify is unavailable (its watch limit reached), watchdog's polling
observer takes over. A burst of events (a folder copied in, an editor saving twice) is
applied once, after the folder has been quiet for WATCH_QUIET_SECONDS; the update itself
finds what changed from the manifest, so a missed event is caught by the next one.

The update runs `policy-search index` in a child process: the build swaps CURRENT when
it is complete and the web app reopens the index when CURRENT changes, so queries are
answered from the previous build until then. A failed update is reported and leaves the
served index as it was. A damaged index is rebuilt the same way, at once: the web app asks
for it when it finds no sound build to open, and answers 503 until the new one is swapped in.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.polling import PollingObserver

from search.cli import PROG
from search.lifecycle import usable_build
from search.manifest import staleness
from search.settings import REBUILD_RETRY_SECONDS, WATCH_QUIET_SECONDS


class Updater:
    """Brings the index up to date in a child process from a daemon thread, one update at a
    time, whenever asked."""

    def __init__(self, seeds: Path, root: Path, report: Callable[[str], None],
                 quiet: float = WATCH_QUIET_SECONDS) -> None:
        self.seeds, self.root, self.report, self.quiet = seeds, root, report, quiet
        self._asked = threading.Event()
        self._stopped = threading.Event()
        self._last_ask = 0.0
        self._thread = threading.Thread(target=self._run, name="index-updater", daemon=True)

    def ask(self) -> None:
        """Update once nothing more has been asked for ``quiet`` seconds (a burst of changes)."""
        self._last_ask = time.monotonic()
        self._asked.set()

    def ask_now(self) -> None:
        """Update as soon as the update in progress, if any, is over (the index is damaged)."""
        self._last_ask = 0.0
        self._asked.set()

    def start(self) -> None:
        """Start the updating thread."""
        self._thread.start()

    def stop(self) -> None:
        """Stop updating; an update in progress finishes."""
        self._stopped.set()
        self._asked.set()

    def _run(self) -> None:
        while self._asked.wait() and not self._stopped.is_set():
            # Wait until the burst of events is over.
            while (left := self._last_ask + self.quiet - time.monotonic()) > 0:
                if self._stopped.wait(left):
                    return
            self._asked.clear()
            try:
                updated = self.update()
            except OSError as error:  # a seed file gone while it was compared: try again
                self.report(f"error: cannot compare the seeds with the index: {error}")
                updated = False
            # After a failure, wait before trying again: every request of a server with no
            # index asks for a rebuild, and one that fails (a full disk) would fail on a loop.
            if not updated and self._stopped.wait(REBUILD_RETRY_SECONDS):
                return

    def update(self) -> bool:
        """Bring the index up to date now, in a process of its own; report what it printed.

        Return False when the index needed an update that failed.
        """
        reason = staleness(self.seeds, self.root)
        if reason is None:
            return True
        self.report(f"rebuilding the index: {reason}")
        # A child process keeps the update's memory out of the server (adding one document
        # to 30k passages peaked at 184 MiB, 75 of them jieba's dictionary) and forks no
        # indexing workers from a process with threads.
        done = subprocess.run(
            [sys.executable, "-m", "search", "--seeds", str(self.seeds), "--index", str(self.root),
             "index"], capture_output=True, text=True, check=False)
        for line in done.stderr.splitlines():
            self.report(line.removeprefix(f"{PROG}: "))
        for line in done.stdout.splitlines():
            self.report(line)  # what was updated: "updated 1 added, …" and the totals
        if not done.stdout:
            serving = ("still serving the previous one" if usable_build(self.root)[0]
                       else "no index to serve until it is rebuilt")
            self.report(f"error: the index was not updated ({reason}); {serving}")
            return False
        return True


class SeedWatcher(FileSystemEventHandler):
    """Asks an Updater for an update whenever the seed folder changes."""

    def __init__(self, updater: Updater) -> None:
        self.updater = updater
        self._observer = None

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a seed file changes nothing
        self.updater.ask()

    def start(self) -> None:
        """Start watching the seed folder (inotify, else polling)."""
        seeds = self.updater.seeds
        try:
            self._observer = Observer()
            self._observer.schedule(self, str(seeds), recursive=True)
            self._observer.start()
        except OSError as error:
            self.updater.report(f"warning: cannot watch {seeds}/ with inotify ({error}); "
                                "polling it instead")
            self._observer = PollingObserver()
            self._observer.schedule(self, str(seeds), recursive=True)
            self._observer.start()
        self.updater.ask()  # a change made before the observer started is caught too

    def stop(self) -> None:
        """Stop watching."""
        if self._observer is not None:
            self._observer.stop()
