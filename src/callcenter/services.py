"""Start the suite's processes and stop them all together.

Each process runs in its own session so that Ctrl-C reaches only the
supervisor, which then stops the processes in reverse order and waits for
them: nothing is left running.
"""
import logging
import os
import signal
import subprocess
import time
import urllib.request
from dataclasses import dataclass

logger = logging.getLogger(__name__)
STOP_TIMEOUT = 10


@dataclass(frozen=True)
class Service:
    name: str
    argv: tuple[str, ...]


class Stopped(Exception):
    "Raised in the main thread when SIGINT (Ctrl-C) or SIGTERM arrives."


class Supervisor:
    def __init__(self):
        self.running: list[tuple[Service, subprocess.Popen]] = []

    def start(self, service: Service) -> None:
        logger.info("starting %s", service.name)
        process = subprocess.Popen(service.argv, start_new_session=True)
        self.running.append((service, process))

    def exited(self) -> Service | None:
        "The first service that has exited, if any."
        for service, process in self.running:
            if process.poll() is not None:
                return service
        return None

    def wait(self) -> int:
        "Block until Ctrl-C, SIGTERM or the exit of a service."
        # Set explicitly: a shell's background job starts with SIGINT ignored.
        previous = {signum: signal.signal(signum, _raise_stopped)
            for signum in (signal.SIGINT, signal.SIGTERM)}
        try:
            while (service := self.exited()) is None:
                time.sleep(0.5)
            logger.error("%s exited; stopping the suite", service.name)
            return 1
        except Stopped:
            return 0
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            self.stop()

    def stop(self) -> None:
        "Stop every service with its children (each has its own group)."
        for service, process in reversed(self.running):
            _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        for service, process in reversed(self.running):
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop; killing it", service.name)
            _signal_group(process, signal.SIGKILL)
            process.wait()
        self.running.clear()


def _raise_stopped(signum, frame):
    raise Stopped()


def _signal_group(process, signum) -> None:
    "Signal the process group of ``process`` (workers fork children)."
    try:
        os.killpg(process.pid, signum)
    except ProcessLookupError:
        pass


def wait_for_http(url: str, timeout: float = 60, supervisor=None) -> None:
    "Wait until ``url`` answers, failing early if a service died."
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if supervisor and (service := supervisor.exited()):
                raise RuntimeError(f"{service.name} exited during start-up")
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not answer in {timeout}s")
            time.sleep(0.3)
