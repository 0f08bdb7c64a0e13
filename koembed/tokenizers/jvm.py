"""The one JVM of a process, with konlpy's Java analyzers on its class path.

Okt, Komoran, Kkma and Hannanum are Java (or Scala) libraries that konlpy
ships as jars; they run in a JVM reached through JPype. A process has at most
one JVM, started here on the first use of any of them (in the main process,
or in each worker: workers rebuild their tokenizer from its spec, so no JVM
handle is ever copied).
"""

from __future__ import annotations

import os
from abc import abstractmethod

from koembed.errors import KoembedError, MissingDependencyError
from koembed.tokenizers._pos import TagFilter
from koembed.tokenizers.base import Tokenizer

#: The JVM's heap limit: Kkma's dictionaries need more than konlpy's 1 GB
#: default once several analyzers share the JVM.
MAX_HEAP = "-Xmx2048m"


class JavaNotFoundError(MissingDependencyError):
    """No usable Java for a JVM analyzer; the message says how to install one."""

    def __init__(self, message: str, extra: str = "okt"):
        self.package = "java"
        self.extra = extra
        KoembedError.__init__(self, message)


def find_jvm(backend: str = "okt") -> str:
    """Return the path of the JVM library the analyzers will start.

    JPype looks in ``JAVA_HOME``, then at the ``java`` on the system, then in
    the usual install folders.

    Raises:
        MissingDependencyError: JPype (installed with konlpy) is missing.
        JavaNotFoundError: no JVM was found, or the one found cannot be used.
    """
    try:
        import jpype
    except ImportError:
        raise MissingDependencyError("konlpy", backend, f"the {backend} tokenizer") from None
    java_home = os.environ.get("JAVA_HOME")
    try:
        return jpype.getDefaultJVMPath()
    except jpype.JVMNotSupportedException as error:
        raise JavaNotFoundError(
            f"the {backend} tokenizer cannot use the Java it found ({error}); install a 64-bit "
            f"JDK 8 or newer matching this Python and point JAVA_HOME at it",
            backend,
        ) from None
    except jpype.JVMNotFoundException:
        where = f"JAVA_HOME={java_home} holds no JVM" if java_home else "JAVA_HOME is not set"
        raise JavaNotFoundError(
            f"the {backend} tokenizer needs Java (JDK 8 or newer) and none was found ({where}); "
            f"install one (Debian/Ubuntu: apt-get install default-jdk-headless; "
            f"macOS: brew install openjdk) or set JAVA_HOME to a JDK folder",
            backend,
        ) from None


def java_class(name: str, backend: str):
    """The Java class ``name`` (from konlpy's jars), starting the JVM if needed.

    Raises:
        MissingDependencyError: konlpy (and its JPype) is missing, or no Java.
        KoembedError: a JVM runs in this process without konlpy's classes.
    """
    try:
        import jpype
        from konlpy import utils
    except ImportError:
        raise MissingDependencyError("konlpy", backend, f"the {backend} tokenizer") from None
    if not jpype.isJVMStarted():
        _start_jvm(find_jvm(backend), utils.installpath)
    try:
        return jpype.JClass(name)
    except TypeError:  # JPype's "class not found" when the JVM lacks konlpy's jars
        raise KoembedError(
            f"a JVM was already started in this process without konlpy's classes; start "
            f"{backend} before other Java code, or tokenize in a fresh process"
        ) from None


def _start_jvm(jvmpath: str, konlpy_folder: str) -> None:
    """Start the JVM with konlpy's class path, as its ``init_jvm`` does, but
    keep the main thread's stack.

    The JVM limits the thread it starts on (Python's main thread) to its
    ``-Xss``, 1 MB by default; native code on that thread needing more
    (scipy's ``lu``, under scikit-learn's randomized SVD for LSA) then killed
    the process with a segmentation fault once Okt had been used. ``-Xss`` is
    set to the process's own stack limit (``ulimit -s``, usually 8 MB).
    """
    import jpype

    try:
        import resource
    except ImportError:  # not POSIX: the main thread's stack is small there anyway
        megabytes = 8
    else:
        soft, _ = resource.getrlimit(resource.RLIMIT_STACK)
        megabytes = 8 if soft == resource.RLIM_INFINITY else max(1, soft >> 20)
    javadir = os.path.join(konlpy_folder, "java")
    jpype.startJVM(
        jvmpath,
        "-Dfile.encoding=UTF8",
        "-ea",
        MAX_HEAP,
        f"-Xss{megabytes}m",
        # konlpy's classpath: its java folder, compiled classes and jars.
        classpath=[javadir, os.path.join(javadir, "bin"), os.path.join(javadir, "*")],
        convertStrings=True,
    )


def java_string_join():
    """``java.lang.String.join``: one Java string per line instead of one per
    token, because crossing into Python per token costs more than the split."""
    import jpype

    return jpype.JClass("java.lang.String").join


def quiet_java_errors() -> None:
    """Send the JVM's standard error nowhere: konlpy's Java interfaces print a
    stack trace there for each text an analyzer fails on, which they catch."""
    import jpype

    stream = jpype.JClass("java.io.PrintStream")(
        jpype.JClass("java.io.OutputStream").nullOutputStream()
    )
    jpype.JClass("java.lang.System").setErr(stream)


# Characters outside the Basic Multilingual Plane (emoji, most of all) are two
# UTF-16 units in Java; Komoran and Kkma can cut between the two, and such a
# half cannot come back to Python. They stand in for them as private-use
# characters, one per distinct character, swapped back in the tokens.
_PRIVATE_USE = range(0xE000, 0xF900)


class AstralCharacters:
    """``text`` with its characters beyond U+FFFF replaced by private-use ones,
    and :meth:`restore` to put them back into tokens."""

    def __init__(self, text: str):
        astral = sorted({char for char in text if ord(char) > 0xFFFF})
        free = (chr(code) for code in _PRIVATE_USE if chr(code) not in text)
        self.stand_ins = {char: next(free, "\ufffd") for char in astral}
        self.back = {v: k for k, v in self.stand_ins.items() if v != "\ufffd"}
        self.text = "".join(self.stand_ins.get(char, char) for char in text) if astral else text

    def restore(self, tokens: list[str]) -> list[str]:
        if not self.back:
            return tokens
        return ["".join(self.back.get(char, char) for char in token) for token in tokens]


class JavaAnalyzer(Tokenizer):
    """What Komoran, Kkma and Hannanum share: options ``pos`` and ``keep_pos``,
    whitespace collapsed, characters beyond U+FFFF swapped for stand-ins, and
    a Java exception reported with the text it failed on.

    Subclasses start their analyzer in :meth:`_start` and give its (morpheme,
    tag) pairs for a text in :meth:`_pairs`.
    """

    #: the analyzer's name in messages
    display_name: str

    def _setup(self) -> None:
        self._tags = TagFilter(self.options)
        self._start()

    @abstractmethod
    def _start(self) -> None:
        """Start the analyzer on the JVM."""

    @abstractmethod
    def _pairs(self, text: str) -> list[tuple[str, str]]:
        """The analyzer's (morpheme, tag) pairs for ``text``."""

    def _tokenize(self, text: str) -> list[str]:
        text = " ".join(text.split())
        if not text:
            return []
        astral = AstralCharacters(text)
        return astral.restore(self._analysed(astral.text))

    def _analysed(self, text: str) -> list[str]:
        try:
            pairs = self._pairs(text)
        except KoembedError:
            raise
        except Exception as error:  # a Java exception: say which text, not a JVM trace
            raise KoembedError(
                f"{self.display_name} failed on {text[:60]!r} ({type(error).__name__}: {error})"
            ) from None
        return self._tags.tokens(pairs)
