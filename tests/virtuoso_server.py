"""OpenLink Virtuoso for the tests: a server on loopback with its own database folder and ports.

Debian's ``virtuoso-opensource`` package provides ``virtuoso-t`` (the server) and ``isql-vt``
(its SQL client). :func:`start` writes a ``virtuoso.ini`` into an empty folder (the database
files, free ports for SQL and HTTP, no limit on result rows or query time), starts the server
in the foreground as a child process, waits until its SPARQL endpoint answers, and sets the
grants the README's guide sets (SPARQL Update for the anonymous SPARQL user, and write access
for ``nobody`` on every graph, so that ``/sparql-graph-crud`` takes uploads). ``Virtuoso.stop``
shuts it down. The same steps, by hand, are in the README ("Putting a corpus into a
production triple store").
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SERVER = "virtuoso-t"
ISQL = "isql-vt"

INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile    = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx

[Parameters]
ServerPort         = 127.0.0.1:{sql_port}
DisableUnixSocket  = 1
DirsAllowed        = ., {load}
NumberOfBuffers    = 20000
MaxDirtyBuffers    = 15000
CheckpointInterval = 60
CaseMode           = 2

[HTTPServer]
ServerPort           = 127.0.0.1:{http_port}
ServerRoot           = {db}
ServerThreads        = 4
MaxClientConnections = 4
EnabledDavVSP        = 0
Charset              = UTF-8

[SPARQL]
ResultSetMaxRows           = 1000000
MaxQueryExecutionTime      = 0
MaxQueryCostEstimationTime = 0
"""
"""The server's settings: its files under ``db``, bulk loads from ``load``; ResultSetMaxRows is
raised from Debian's 10,000 (Virtuoso cuts longer answers short without saying so)."""

GRANTS = 'GRANT SPARQL_UPDATE TO "SPARQL"; DB.DBA.RDF_DEFAULT_USER_PERMS_SET (\'nobody\', 7);'
"""The grants the Graph Store Protocol endpoint ``/sparql-graph-crud`` needs to take uploads."""


def binaries() -> tuple[str, str] | None:
    """The paths of ``virtuoso-t`` and ``isql-vt``, or None when Virtuoso is not installed."""
    server, isql = shutil.which(SERVER) or "/usr/bin/virtuoso-t", shutil.which(ISQL) or "/usr/bin/isql-vt"
    return (server, isql) if Path(server).is_file() and Path(isql).is_file() else None


def version() -> str:
    """The installed server's version line (``Virtuoso 7.2.5.3229-pthreads ...``), or "" when not installed."""
    found = binaries()
    if found is None:
        return ""
    proc = subprocess.run([found[0], "-?"], capture_output=True, text=True, timeout=30, check=False)
    line = next((ln for ln in (proc.stdout + proc.stderr).splitlines() if ln.startswith("Version")), "")
    return f"Virtuoso {line.removeprefix('Version ').strip()}".strip()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Virtuoso:
    """A running server: its SPARQL endpoint, its Graph Store endpoint, and SQL through isql-vt."""

    folder: Path
    load_dir: Path
    sql_port: int
    http_port: int
    isql_path: str
    process: subprocess.Popen[bytes]

    @property
    def sparql(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def graph_store(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud"

    def isql(self, sql: str, timeout: float = 600) -> str:
        """Run SQL statements as ``dba`` (the password of a new database); their output.

        Raises:
            RuntimeError: isql-vt failed or reported an error.
        """
        proc = subprocess.run([self.isql_path, f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={sql}"],
                              capture_output=True, text=True, timeout=timeout, check=False)
        if proc.returncode != 0 or "*** Error" in proc.stdout + proc.stderr:
            raise RuntimeError(f"isql-vt {sql!r} failed: {proc.stdout}{proc.stderr}")
        return proc.stdout

    def stop(self) -> None:
        """Shut the server down (it checkpoints and exits), killing it if it does not within 60 s."""
        self.process.terminate()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start(folder: Path, timeout: float = 180) -> Virtuoso:
    """Start Virtuoso with its database in ``folder`` (created empty), on free loopback ports.

    Raises:
        RuntimeError: Virtuoso is not installed, exited, or did not answer within ``timeout`` seconds.
    """
    found = binaries()
    if found is None:
        raise RuntimeError("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    server, isql = found
    db = folder / "db"
    load = folder / "load"
    db.mkdir(parents=True)
    load.mkdir()
    sql_port, http_port = _free_port(), _free_port()
    (db / "virtuoso.ini").write_text(INI.format(db=db, load=load, sql_port=sql_port, http_port=http_port),
                                     encoding="utf-8")
    log = (db / "stdout.log").open("wb")
    proc = subprocess.Popen([server, "+configfile", str(db / "virtuoso.ini"), "+foreground"], cwd=db,
                            stdout=log, stderr=subprocess.STDOUT)
    log.close()
    v = Virtuoso(folder, load, sql_port, http_port, isql, proc)
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"virtuoso-t exited ({proc.returncode}): "
                               + (db / "stdout.log").read_text(encoding="utf-8", errors="replace")[-2000:])
        try:
            with urllib.request.urlopen(v.sparql + "?query=ASK%7B%7D", timeout=2) as resp:
                if resp.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            v.stop()
            raise RuntimeError(f"Virtuoso did not answer within {timeout:g} s")
        time.sleep(0.2)
    try:
        v.isql(GRANTS)
    except Exception:
        v.stop()
        raise
    return v
