"""Start the suite's processes and stop them all together.

Each process runs in its own session so that Ctrl-C reaches only the
supervisor, which then stops the processes in reverse order and waits for
them: nothing is left running.
"""
import logging
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
    "Raised in the main thread when SIGTERM arrives."


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
        previous = signal.signal(signal.SIGTERM, _raise_stopped)
        try:
            while (service := self.exited()) is None:
                time.sleep(0.5)
            logger.error("%s exited; stopping the suite", service.name)
            return 1
        except (KeyboardInterrupt, Stopped):
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
            self.stop()

    def stop(self) -> None:
        for service, process in reversed(self.running):
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT
        for service, process in reversed(self.running):
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("%s did not stop; killing it", service.name)
                process.kill()
                process.wait()
        self.running.clear()


def _raise_stopped(signum, frame):
    raise Stopped()


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
