# SPDX-License-Identifier: GPL-2.0
"""Which touched .c files a kernel configuration builds in, as objects (make lint's w1-sparse step).

    python3 scripts/lint_objects.py --tree build/linux-6.12 --config DIR/.config kernel/dma/debug.c ...

Prints one object a line (kernel/dma/debug.o) for each file that the configuration builds into the
kernel: the directory's Kbuild and Makefile are evaluated as make would for the kbuild lists (variables
with $(CONFIG_FOO) in their names, :=, +=, $(VAR) references, ifdef/ifeq on CONFIG_ symbols and
variables) and the object must be in obj-y or lib-y, or a part (foo-y, foo-objs) of a built-in composite
object, in a directory the build descends into.  Make functions ($(patsubst ...)) are not evaluated.
A file the configuration does not build in is named on stderr.  Exits 1 when files were given and none is built
in: a W=1/sparse step over no object would check nothing.
"""

import argparse
import os
import re
import sys

ASSIGN = re.compile(r"^\s*(?:override\s+|export\s+)?([A-Za-z0-9_.$()-]+)\s*(:=|::=|\+=|\?=|=)(.*)$")
REF = re.compile(r"\$\(([A-Za-z0-9_.-]+)\)")
COND = re.compile(r"^\s*(ifdef|ifndef|ifeq|ifneq)\s+(.*)$")


def read_config(path: str) -> dict[str, str]:
    """CONFIG_FOO -> its value (y, m, a string) for every symbol set in a .config."""
    values: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("CONFIG_") and "=" in line:
                name, value = line.split("=", 1)
                values[name] = value
    return values


def logical_lines(text: str) -> list[str]:
    """A Makefile's lines with backslash continuations joined and comments dropped."""
    out: list[str] = []
    cur = ""
    for raw in text.splitlines():
        line = raw.split("#", 1)[0]
        if line.rstrip().endswith("\\"):
            cur += line.rstrip()[:-1] + " "
            continue
        out.append(cur + line)
        cur = ""
    if cur:
        out.append(cur)
    return out


def expand(text: str, env: dict[str, str], depth: int = 0) -> str:
    """$(VAR) references replaced by their (recursively expanded) values; make functions stay as they are."""
    if depth > 20:
        return text
    return REF.sub(lambda m: expand(env.get(m.group(1), ""), env, depth + 1), text)


def condition(kind: str, arg: str, env: dict[str, str]) -> bool:
    """The value of an ifdef/ifndef/ifeq/ifneq line; one it cannot read counts as true."""
    if kind in ("ifdef", "ifndef"):
        return (expand("$(" + arg.strip() + ")", env) != "") == (kind == "ifdef")
    arg = arg.strip()
    if arg.startswith("(") and arg.endswith(")") and "," in arg:
        a, b = arg[1:-1].split(",", 1)
    else:
        parts = re.findall(r"\"([^\"]*)\"|'([^']*)'", arg)
        if len(parts) != 2:
            return True
        a, b = (x or y for x, y in parts)
    same = expand(a, env).strip() == expand(b, env).strip()
    return same == (kind == "ifeq")


def makefile_vars(directory: str, config: dict[str, str],
                  names: tuple[str, ...] = ("Kbuild", "Makefile")) -> dict[str, str] | None:
    """The variables that the directory's Kbuild and Makefile set under the configuration (None: no
    Makefile).  Assignments are evaluated in order (:= and = replace, += appends) inside the
    conditionals that hold; CONFIG_ symbols come from the configuration."""
    env: dict[str, str] = dict(config)
    found = False
    for name in names:
        path = os.path.join(directory, name)
        if not os.path.isfile(path):
            continue
        found = True
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = logical_lines(f.read())
        stack: list[tuple[bool, bool]] = []  # (this branch holds, some branch of this if held)
        for line in lines:
            word = line.strip()
            m = COND.match(word)
            if m:
                live = all(h for h, _ in stack)
                held = live and condition(m.group(1), m.group(2), env)
                stack.append((held, held))
                continue
            if word.startswith("else") and stack:
                _, any_held = stack.pop()
                live = all(h for h, _ in stack)
                rest = COND.match(word[4:].strip())
                held = live and not any_held and (rest is None or condition(rest.group(1), rest.group(2), env))
                stack.append((held, any_held or held))
                continue
            if word == "endif" and stack:
                stack.pop()
                continue
            if not all(h for h, _ in stack):
                continue
            a = ASSIGN.match(line)
            if not a:
                continue
            var, op, value = expand(a.group(1), env), a.group(2), a.group(3).strip()
            if var.startswith("CONFIG_"):
                continue
            if op == "+=":
                env[var] = (env.get(var, "") + " " + value).strip()
            elif op != "?=" or var not in env:
                env[var] = value
    return env if found else None


def built_in_objects(env: dict[str, str]) -> set[str]:
    """The objects and subdirectories (foo.o, bar/) of one directory that go into the kernel: obj-y and
    lib-y, and the parts (foo-y, foo-objs) of every built-in composite object."""
    todo = expand(env.get("obj-y", "") + " " + env.get("lib-y", ""), env).split()
    objs: set[str] = set()
    while todo:
        o = todo.pop()
        if o in objs:
            continue
        objs.add(o)
        if o.endswith(".o"):
            todo += expand(env.get(o[:-2] + "-y", "") + " " + env.get(o[:-2] + "-objs", ""), env).split()
    return objs


def makefile_text(directory: str, names: tuple[str, ...] = ("Kbuild", "Makefile")) -> str:
    """The text of the directory's Kbuild and Makefile ('' when it has neither)."""
    text = ""
    for name in names:
        path = os.path.join(directory, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                text += f.read() + "\n"
    return text


def dir_built_in(directory: str, tree: str, config: dict[str, str]) -> bool:
    """Whether the kernel build descends into the directory: its parent (for a top-level directory the
    tree's Kbuild) lists it as a built-in subdirectory, or never names it at all (arch/arm/Makefile
    reaches mach-*/ through make functions, which are not evaluated)."""
    if not directory:
        return True
    parent, name = os.path.split(directory)
    names = ("Kbuild",) if not parent else ("Kbuild", "Makefile")
    if not re.search(r"(^|[\s=])" + re.escape(name) + r"/(\s|$)", makefile_text(os.path.join(tree, parent), names),
                     re.M):
        return dir_built_in(parent, tree, config)
    env = makefile_vars(os.path.join(tree, parent), config, names)
    return env is not None and name + "/" in built_in_objects(env) and dir_built_in(parent, tree, config)


def select(tree: str, config: dict[str, str], files: list[str]) -> tuple[list[str], list[str]]:
    """(objects built in, files not built in) for the touched .c files, paths relative to the tree."""
    chosen: list[str] = []
    skipped: list[str] = []
    for f in files:
        directory, base = os.path.split(f)
        env = makefile_vars(os.path.join(tree, directory), config) if f.endswith(".c") else None
        if env is not None and base[:-2] + ".o" in built_in_objects(env) and \
                dir_built_in(directory, tree, config):
            chosen.append(os.path.join(directory, base[:-2] + ".o"))
        else:
            skipped.append(f)
    return chosen, skipped


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--tree", required=True, help="the kernel source tree")
    ap.add_argument("--config", required=True, help="the .config that decides what is built")
    ap.add_argument("files", nargs="*", help="touched .c files, relative to the tree")
    args = ap.parse_args()
    if not os.path.isfile(args.config):
        print(f"lint_objects: no configuration {args.config}: cannot tell what is built", file=sys.stderr)
        return 1
    chosen, skipped = select(args.tree, read_config(args.config), args.files)
    for f in skipped:
        print(f"not built in by {args.config}: {f}", file=sys.stderr)
    if args.files and not chosen:
        print(f"lint_objects: none of the {len(args.files)} touched .c files is built in by {args.config}"
              f" ({' '.join(args.files)}): nothing to check; the configuration lacks their CONFIG_ options",
              file=sys.stderr)
        return 1
    for o in chosen:
        print(o)
    return 0


if __name__ == "__main__":
    sys.exit(main())
