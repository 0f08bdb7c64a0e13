"""Whether worker processes can be started from here.

Worker processes are spawned (not forked: a JVM or a C++ handle must never
be copied into a child), and a spawned child imports the parent's main
script again before it runs anything. A script whose top-level code calls
koembed (no ``if __name__ == "__main__":`` around the call) would run the
whole job again in every child. :func:`unguarded_main_call` tells that case
apart, so the caller can work in this process instead and say why.
"""

from __future__ import annotations

import ast
import functools
import sys
from pathlib import Path


def unguarded_main_call() -> str | None:
    """``"script.py:LINE"`` when the top-level code of the main script, outside
    an ``if __name__ == "__main__":`` block, is what is running now; else ``None``
    (an interactive session, a notebook, a guarded call, or a call from a module).
    """
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if main is None or not path:
        return None
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals is main.__dict__ and frame.f_code.co_name == "<module>":
            if _guarded_lines(path).get(frame.f_lineno, False):
                return None
            return f"{Path(path).name}:{frame.f_lineno}"
        frame = frame.f_back
    return None


@functools.lru_cache(maxsize=8)
def _guarded_lines(path: str) -> dict[int, bool]:
    """Line -> whether it lies inside an ``if __name__ == "__main__":`` block."""
    try:
        tree = ast.parse(Path(path).read_bytes())
    except (OSError, SyntaxError, ValueError):
        return {}
    guarded: dict[int, bool] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_main_test(node.test):
            for line in range(node.body[0].lineno, (node.body[-1].end_lineno or 0) + 1):
                guarded[line] = True
    return guarded


def _is_main_test(test: ast.expr) -> bool:
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, *test.comparators]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    mains = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return len(names) == 1 and len(mains) == 1
