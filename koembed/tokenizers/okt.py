"""konlpy's Okt (Open Korean Text, a Scala analyzer) on a JVM through JPype.

The JVM starts once per process, on first use: in the main process, or in
each worker (workers are spawned and rebuild the tokenizer from its spec, so
no JVM handle is ever copied). Okt's dictionary lives in the JVM and is
shared by the whole process; nouns can be added to it but never removed.
"""

from __future__ import annotations

import logging
import os

from koembed.errors import KoembedError, MissingDependencyError
from koembed.tokenizers._pos import parse_keep_pos
from koembed.tokenizers.base import Tokenizer

log = logging.getLogger(__name__)

# Every tag Okt emits (its KoreanPos enumeration).
OKT_TAGS = frozenset(
    "Noun Verb Adjective Adverb Determiner Exclamation Josa Eomi PreEomi Conjunction "
    "Modifier VerbPrefix Suffix Unknown Korean Foreign Number KoreanParticle Alpha "
    "Punctuation Hashtag ScreenName Email URL CashTag Space Others ProperNoun".split()
)
# Okt's user dictionary takes nouns only; these user-dictionary POS are nouns.
NOUN_POS = frozenset({"NNG", "NNP", "NNB"})

_KEEP_POS_HINT = (
    " (Okt's tags are coarse: Noun for NNG/NNP, Verb for VV, Adjective for VA, Josa for particles)"
)

# Per-process JVM state: the konlpy interface object, and the nouns this
# process has added to Okt's (process-wide, append-only) dictionary.
_interface = None
_added_nouns: set[str] = set()


class JavaNotFoundError(MissingDependencyError):
    """No usable Java for Okt; the message says how to install one."""

    def __init__(self, message: str):
        self.package = "java"
        self.extra = "okt"
        KoembedError.__init__(self, message)


def find_jvm() -> str:
    """Return the path of the JVM library that Okt will start.

    JPype looks in ``JAVA_HOME``, then at the ``java`` on the system, then in
    the usual install folders.

    Raises:
        MissingDependencyError: JPype (installed with konlpy) is missing.
        JavaNotFoundError: no JVM was found, or the one found cannot be used.
    """
    try:
        import jpype
    except ImportError:
        raise MissingDependencyError("konlpy", "okt", "the okt tokenizer") from None
    java_home = os.environ.get("JAVA_HOME")
    try:
        return jpype.getDefaultJVMPath()
    except jpype.JVMNotSupportedException as error:
        raise JavaNotFoundError(
            f"the okt tokenizer cannot use the Java it found ({error}); install a 64-bit "
            f"JDK 8 or newer matching this Python and point JAVA_HOME at it"
        ) from None
    except jpype.JVMNotFoundException:
        where = f"JAVA_HOME={java_home} holds no JVM" if java_home else "JAVA_HOME is not set"
        raise JavaNotFoundError(
            f"the okt tokenizer needs Java (JDK 8 or newer) and none was found ({where}); "
            f"install one (Debian/Ubuntu: apt-get install default-jdk-headless; "
            f"macOS: brew install openjdk) or set JAVA_HOME to a JDK folder"
        ) from None


def _okt_interface():
    """konlpy's Java-side Okt object, starting the JVM on the first call."""
    global _interface
    if _interface is None:
        try:
            import jpype
            from konlpy import jvm
        except ImportError:
            raise MissingDependencyError("konlpy", "okt", "the okt tokenizer") from None
        if not jpype.isJVMStarted():
            _start_jvm(find_jvm(), jvm)
        try:
            _interface = jpype.JClass("kr.lucypark.okt.OktInterface")()
        except TypeError:  # JPype's "class not found" when the JVM lacks konlpy's jars
            raise KoembedError(
                "a JVM was already started in this process without konlpy's classes; "
                "start Okt before other Java code, or tokenize in a fresh process"
            ) from None
    return _interface


def _start_jvm(jvmpath: str, konlpy_jvm) -> None:
    """Start the JVM as konlpy's ``init_jvm`` does, but keep the main thread's stack.

    The JVM limits the thread it starts on (Python's main thread) to its
    ``-Xss``, 1 MB by default; native code on that thread needing more
    (scipy's ``lu``, under scikit-learn's randomized SVD for LSA) then killed
    the process with a segmentation fault once Okt had been used. ``-Xss`` is
    set to the process's own stack limit (``ulimit -s``, usually 8 MB).
    """
    try:
        import resource
    except ImportError:  # not POSIX: the main thread's stack is small there anyway
        konlpy_jvm.init_jvm(jvmpath)
        return
    import jpype
    from konlpy import utils

    soft, _ = resource.getrlimit(resource.RLIMIT_STACK)
    megabytes = 8 if soft == resource.RLIM_INFINITY else max(1, soft >> 20)
    javadir = os.path.join(utils.installpath, "java")
    jpype.startJVM(
        jvmpath,
        "-Dfile.encoding=UTF8",
        "-ea",
        "-Xmx1024m",
        f"-Xss{megabytes}m",
        # konlpy's classpath: its java folder, compiled classes and jars.
        classpath=[javadir, os.path.join(javadir, "bin"), os.path.join(javadir, "*")],
        convertStrings=True,
    )


def _add_nouns(words: list[str]) -> None:
    new = [word for word in words if word not in _added_nouns]
    if not new:
        return
    import jpype

    # The Java processor takes a java.util.List; JPype refuses a Python list.
    nouns = jpype.java.util.ArrayList()
    for word in new:
        nouns.add(word)
    processor = jpype.JClass("org.openkoreantext.processor.OpenKoreanTextProcessorJava")
    processor.addNounsToDictionary(nouns)
    _added_nouns.update(new)
    log.info("added %d user nouns to Okt's dictionary", len(new))


class OktTokenizer(Tokenizer):
    """Morphemes from Okt: ``이것도 되나욬ㅋㅋ`` -> ``이 / 것 / 도 / 되나욬 / ㅋㅋ``.

    Options:
        stem: reduce verbs and adjectives to their dictionary form (``했다`` -> ``하다``).
        norm: correct informal spellings first (``되나욬`` -> ``되나요``).
        pos: emit ``token/TAG`` with Okt's tags (``희망/Noun``).
        keep_pos: keep only these Okt tags, e.g. ``"Noun,Verb,Adjective"``.

    User words: Okt's dictionary takes nouns only, so entries tagged NNG, NNP
    or NNB are added and any other entry is skipped with a warning.
    """

    name = "okt"
    defaults = {"stem": False, "norm": False, "pos": False, "keep_pos": None}

    def validate(self) -> None:
        super().validate()
        if self.options["keep_pos"] is not None:
            self.options["keep_pos"] = parse_keep_pos(
                self.options["keep_pos"], "Okt", OKT_TAGS, _KEEP_POS_HINT
            )

    def _setup(self) -> None:
        skipped = [e for e in self.user_dict.entries if e.pos not in NOUN_POS]
        if skipped:
            shown = ", ".join(f"{e.word}/{e.pos}" for e in skipped[:10])
            more = f" and {len(skipped) - 10} more" if len(skipped) > 10 else ""
            log.warning(
                "user dictionary %s: Okt takes nouns only; skipped %s%s",
                self.user_dict.source,
                shown,
                more,
            )
        self._interface = _okt_interface()
        import jpype  # present once the JVM runs

        nouns = [e.word for e in self.user_dict.entries if e.pos in NOUN_POS]
        foreign = sorted(_added_nouns.difference(nouns))
        if foreign:
            log.warning(
                "Okt's dictionary is shared by the whole process: %d noun(s) added by an "
                "earlier Okt tokenizer stay in effect (%s)",
                len(foreign),
                ", ".join(foreign[:5]),
            )
        _add_nouns(nouns)
        self._norm = jpype.java.lang.Boolean(self.options["norm"])
        self._stem = jpype.java.lang.Boolean(self.options["stem"])
        # One Java string per line instead of one per token: crossing into
        # Python per token costs more than the split.
        self._join = jpype.JClass("java.lang.String").join
        keep = self.options["keep_pos"]
        self._keep = frozenset(keep) if keep else None
        self._with_pos = bool(self.options["pos"])

    def _tokenize(self, text: str) -> list[str]:
        # Okt returns tab, no-break or ideographic spaces as tokens; turning
        # all whitespace into plain spaces first makes it drop them.
        text = " ".join(text.split())
        if not text:
            return []
        joined = self._join("\n", self._interface.tokenize(text, self._norm, self._stem))
        if not joined:
            return []
        items = joined.split("\n")
        if self._keep is not None:
            items = [item for item in items if item.rpartition("/")[2] in self._keep]
        if self._with_pos:
            return items
        return [item.rpartition("/")[0] for item in items]
