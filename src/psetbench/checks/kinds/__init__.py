"""The built-in check kinds, one file each. Every module in this folder is imported here, so a
new kind is one new file: a `CheckConfig` subclass decorated with `@check_kind`."""

import importlib
import pkgutil

for _module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    importlib.import_module(f"{__name__}.{_module.name}")
