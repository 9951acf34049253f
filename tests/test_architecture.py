"""The house rules of reporting/, checked on the source: where a concept lives is not left to memory.

- a few foundation modules at the top of ``reporting/``, everything else in a feature package;
- no module imports a name another package keeps private (a leading underscore);
- no import cycle between modules (imports inside functions included: a cycle broken by a
  late import is still a cycle to the reader);
- the grammar of a cell key is spelt in ``reporting/cells.py`` only.
"""

import ast
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = ("reporting", "indicators", "models_pilot", "benchmarks", "de_an_06")
MAX_TOP_LEVEL_MODULES = 12
KEY_PREFIXES = ("dvc.", "ind.", "mh.", "nv.", "note.")


def production_files():
    for package in PRODUCTION:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path):
    """(imported module, imported names) of every import statement, relative ones resolved."""
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            yield module, [alias.name for alias in node.names]


def test_reporting_has_few_top_level_modules():
    modules = sorted(path.name for path in (ROOT / "reporting").glob("*.py"))
    assert len(modules) <= MAX_TOP_LEVEL_MODULES, modules


def test_no_module_imports_a_private_name_of_another_package():
    offences = []
    for path in production_files():
        own_package = module_name(path).split(".")[:2]
        for module, names in imports_of(path):
            if module.split(".")[:2] == own_package:
                continue
            offences += [f"{module_name(path)}: {module}.{name}" for name in names
                         if name.startswith("_") and not name.startswith("__")]
    assert offences == []


def test_there_is_no_import_cycle():
    known = {module_name(path): path for path in production_files()}
    graph = {}
    for name, path in known.items():
        targets = set()
        for module, names in imports_of(path):
            targets |= {f"{module}.{n}" for n in names if f"{module}.{n}" in known}
            if module in known:
                targets.add(module)
        graph[name] = targets - {name}
    assert _cycles(graph) == []


def _cycles(graph):
    """Every strongly connected component of more than one module (Tarjan)."""
    index, low, stack, on_stack, found, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cell_key_grammar_is_spelt_in_one_module():
    prefix = re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(prefix) for prefix in KEY_PREFIXES) + ")")
    spelt_in = sorted(str(path.relative_to(ROOT)) for path in production_files()
                      if any(prefix.search(text) for text in _string_literals(path)))
    assert spelt_in == ["reporting/cells.py"]


def _string_literals(path):
    """Every string in the module, docstrings and f-strings included (Python 3.11 tokenizes an f-string whole)."""
    with path.open("rb") as source:
        return [token.string for token in tokenize.tokenize(source.readline) if token.type == tokenize.STRING]


def test_every_path_the_readme_architecture_names_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Architecture", 1)[1].split("\n## ", 1)[0]
    paths = []
    for bullet in re.split(r"\n(?=- )", section):
        named = re.findall(r"`([\w./]+\.py|[\w./]+/)`", bullet)
        package = named[0] if named and named[0].endswith("/") else ""
        paths += [name if "/" in name else package + name for name in named]
    assert len(paths) > 30
    assert [path for path in paths if not (ROOT / path).exists()] == []
