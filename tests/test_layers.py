"""The apps' layers point one way: demo -> published, portal -> reviews -> casefile -> complaints ->
councils -> ombudsman (STYLE.md). A module may use its own app and the apps below it, never one above it or
beside it: not by an import (at the top of a module or inside a function), not by a URL name
(``reverse("reviews:...")``, ``redirect(...)``, ``{% url 'reviews:...' %}``). And no circle of
imports between modules: the task modules are leaves, so their late imports of services do not
count (Celery imports them by name), every other late import does.

The checks read the source with ``ast`` and regular expressions, never import it, so a new app or
module is covered the day it is written.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {
    "ombudsman": 0,
    "councils": 1,
    "complaints": 2,
    "casefile": 3,
    "reviews": 4,
    "portal": 5,
    "published": 5,
    "demo": 6,
}
# The URL configuration is the one place that gathers every app's URLs: the shell's own job.
SHELL = {"ombudsman.urls"}
URL_NAME = re.compile(r"^(?P<app>[a-z_]+):[a-z0-9_-]+$")
TEMPLATE_URL = re.compile(r"""\{%\s*url\s+['"](?P<app>[a-z_]+):[a-z0-9_-]+['"]""")


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def python_files(root: Path, layers: dict[str, int]):
    for app in layers:
        yield from sorted((root / app).rglob("*.py"))


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imported_modules(root: Path, path: Path, known: set[str]):
    """(imported module, is it inside a function) for every import in the file: a name imported
    from a package that is itself a module counts as that module."""
    module = module_name(root, path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    late = set()
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            late.update(id(node) for node in ast.walk(function) if isinstance(node, (ast.Import, ast.ImportFrom)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in late
        elif isinstance(node, ast.ImportFrom):
            source = _resolve(module, path.name == "__init__.py", node)
            for alias in node.names:
                target = f"{source}.{alias.name}"
                yield (target if target in known else source), id(node) in late


def url_names(path: Path):
    """Every string in the file that reads like a namespaced URL name ("reviews:letter-detail")."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = URL_NAME.match(node.value)
            if match:
                yield match["app"], node.lineno


def layer_violations(root: Path = ROOT, layers: dict[str, int] = LAYERS, shell: set[str] = SHELL) -> list[str]:
    known = {module_name(root, path) for path in python_files(root, layers)}
    found = []

    def check(source_app: str, target_app: str, where: str, what: str):
        if target_app not in layers or target_app == source_app:
            return
        if layers[target_app] >= layers[source_app]:
            direction = "upward" if layers[target_app] > layers[source_app] else "sideways"
            found.append(f"{where}: {direction} {what}")

    for path in python_files(root, layers):
        module = module_name(root, path)
        if module in shell:
            continue
        app = module.split(".")[0]
        relative = path.relative_to(root)
        for target, _late in imported_modules(root, path, known):
            check(app, target.split(".")[0], str(relative), f"import of {target}")
        for target_app, line in url_names(path):
            check(app, target_app, f"{relative}:{line}", f"URL name {target_app}:...")
    template_dirs = [(app, root / app / "templates") for app in layers] + [("ombudsman", root / "templates")]
    for app, folder in template_dirs:
        for path in sorted(folder.rglob("*.html")) + sorted(folder.rglob("*.txt")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                for match in TEMPLATE_URL.finditer(line):
                    check(app, match["app"], f"{path.relative_to(root)}:{number}", f"URL name {match['app']}:...")
    return found


def import_circles(root: Path = ROOT, layers: dict[str, int] = LAYERS) -> list[list[str]]:
    """Strongly connected groups of two or more modules (Tarjan's algorithm, iteratively)."""
    known = {module_name(root, path) for path in python_files(root, layers)}
    graph: dict[str, set[str]] = {name: set() for name in known}
    for path in python_files(root, layers):
        module = module_name(root, path)
        leaf = module.rsplit(".", 1)[-1] == "tasks"
        for target, late in imported_modules(root, path, known):
            if target in known and target != module and not (late and leaf):
                graph[module].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    circles = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == node:
                        break
                if len(group) > 1:
                    circles.append(sorted(group))
    return circles


def test_layers_no_upward_or_sideways_reference():
    assert layer_violations() == []


def test_layers_no_import_circle():
    assert import_circles() == []


# The checks themselves, on a made-up tree: each must see what it is for.


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_layer_violations_sees_upward_import_late_import_and_url_names(tmp_path):
    root = _tree(
        tmp_path,
        {
            "low/__init__.py": "",
            "low/a.py": "from high import b\n",
            "low/c.py": "def f():\n    from high.b import x\n    return reverse('high:page')\n",
            "low/templates/low/t.html": "<a href=\"{% url 'high:page' %}\">x</a>",
            "high/__init__.py": "",
            "high/b.py": "from low import a\nfrom side import d\nreverse('low:page')\n",
            "side/__init__.py": "",
            "side/d.py": "",
        },
    )

    found = layer_violations(root, {"low": 0, "high": 1, "side": 1}, set())

    assert found == [
        "low/a.py: upward import of high.b",
        "low/c.py: upward import of high.b",
        "low/c.py:3: upward URL name high:...",
        "high/b.py: sideways import of side.d",
        "low/templates/low/t.html:1: upward URL name high:...",
    ]


def test_import_circles_counts_late_imports_except_in_task_modules(tmp_path):
    root = _tree(
        tmp_path,
        {
            "low/__init__.py": "",
            "low/services.py": "from low import tasks\nfrom low import rules\n",
            "low/rules.py": "def f():\n    from low import services\n",
            "low/tasks.py": "def run():\n    from low import services\n",
            "high/__init__.py": "",
        },
    )

    circles = import_circles(root, {"low": 0, "high": 1})

    assert circles == [["low.rules", "low.services"]]
