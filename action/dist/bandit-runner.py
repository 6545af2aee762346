"""Run bandit with its string checks working on Python 3.8 and later.

Python 3.8+ parses every literal as ast.Constant, but bandit 1.6.2 (Debian bookworm's) only has
visitors for the old ast.Str and ast.Bytes nodes, so every string-based check (SQL injection B608,
hard-coded passwords B105, temp paths B108, bind-all B104) silently never runs. This wrapper adds
the visit_Constant that later bandit releases have, dispatching str and bytes literals to the old
visitors, then runs bandit's own command line with the arguments it was given. No installed file
is changed, and a bandit that already has visit_Constant is left alone.

Usage: python3 bandit-runner.py [bandit arguments...]
"""

import sys

from bandit.cli import main as bandit_main
from bandit.core import node_visitor

# The node names Python < 3.8 used for non-string literals, which bandit's tests are keyed by.
_LEGACY_NAMES = ((bool, "NameConstant"), (type(None), "NameConstant"), (int, "Num"),
                 (float, "Num"), (complex, "Num"), (type(Ellipsis), "Ellipsis"))


def _legacy_name(value):
    for kind, name in _LEGACY_NAMES:
        if isinstance(value, kind):
            return name
    return "Constant"


def _visit_constant(self, node):
    """Visit an ast.Constant the way bandit visited the node type it replaced."""
    if isinstance(node.value, str):
        self.visit_Str(node)
    elif isinstance(node.value, bytes):
        self.visit_Bytes(node)
    else:
        name = _legacy_name(node.value)
        visitor = getattr(self, "visit_" + name, None)
        if visitor is not None:
            visitor(node)
        else:
            self.update_scores(self.tester.run_tests(self.context, name))


def patch():
    """Add visit_Constant to bandit's node visitor unless it already has one. Returns True if patched."""
    visitor_class = node_visitor.BanditNodeVisitor
    if hasattr(visitor_class, "visit_Constant") or not hasattr(visitor_class, "visit_Str"):
        return False
    visitor_class.visit_Constant = _visit_constant
    return True


if __name__ == "__main__":
    patch()
    sys.argv[0] = "bandit"
    sys.exit(bandit_main.main())
